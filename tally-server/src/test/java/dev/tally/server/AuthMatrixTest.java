package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.auth.ApiRole;
import dev.tally.server.http.Access;
import dev.tally.server.http.Route;
import dev.tally.store.testing.StoreKind;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every route against every kind of caller: no key and a wrong key get 401, a key of a role without the
 * right gets 403 and changes nothing, a key with the right gets past authorisation. The expected matrix is
 * written out here, so that changing who may call a route is a deliberate edit of this table.
 */
class AuthMatrixTest {
    private static final Set<ApiRole> ALL = EnumSet.allOf(ApiRole.class);
    private static final Set<ApiRole> SERVICE = EnumSet.of(ApiRole.ADMIN, ApiRole.SERVICE);
    private static final Set<ApiRole> AUDIT = EnumSet.of(ApiRole.ADMIN, ApiRole.AUDITOR);
    private static final Set<ApiRole> ADMIN = EnumSet.of(ApiRole.ADMIN);
    private static final Set<ApiRole> PUBLIC = Set.of();

    /** Route → roles allowed (empty: public). */
    static final Map<String, Set<ApiRole>> EXPECTED = expected();

    private static Map<String, Set<ApiRole>> expected() {
        Map<String, Set<ApiRole>> m = new LinkedHashMap<>();
        m.put("POST /v1/accounts", SERVICE);
        m.put("GET /v1/accounts", ALL);
        m.put("GET /v1/accounts/{id}", ALL);
        m.put("PATCH /v1/accounts/{id}", SERVICE);
        m.put("GET /v1/accounts/{id}/balances", ALL);
        m.put("GET /v1/accounts/{id}/history", ALL);
        m.put("POST /v1/accounts/{id}/freeze", ADMIN);
        m.put("POST /v1/accounts/{id}/unfreeze", ADMIN);
        m.put("POST /v1/transfers", SERVICE);
        m.put("PUT /v1/accounts/{id}/limits/{currency}", ADMIN);
        m.put("POST /v1/exchanges", SERVICE);
        m.put("POST /v1/transfers/batch", SERVICE);
        m.put("POST /v1/transfers/{id}/post", SERVICE);
        m.put("POST /v1/transfers/{id}/void", SERVICE);
        m.put("POST /v1/mint", ADMIN);
        m.put("POST /v1/burn", ADMIN);
        m.put("POST /v1/reversals", ADMIN);
        m.put("GET /v1/transactions/{id}", ALL);
        m.put("GET /v1/treasury", ALL);
        m.put("GET /v1/supply", ALL);
        m.put("GET /v1/admin/ledger-freeze", ALL);
        m.put("POST /v1/admin/ledger-freeze", ADMIN);
        m.put("DELETE /v1/admin/ledger-freeze", ADMIN);
        m.put("GET /v1/admin/api-keys", ADMIN);
        m.put("POST /v1/admin/api-keys", ADMIN);
        m.put("DELETE /v1/admin/api-keys/{name}", ADMIN);
        m.put("GET /v1/admin/actions", AUDIT);
        m.put("GET /v1/fraud/events", AUDIT);
        m.put("POST /v1/fraud/events/{id}/resolve", ADMIN);
        m.put("POST /v1/audit/verify", AUDIT);
        m.put("POST /v1/audit/reconcile", AUDIT);
        m.put("GET /v1/audit/runs", AUDIT);
        m.put("GET /v1/audit/checkpoint", ALL);
        m.put("GET /v1/audit/proofs/inclusion/{id}", ALL);
        m.put("GET /v1/audit/proofs/consistency", ALL);
        m.put("GET /v1/transactions/{id}/receipt", ALL);
        m.put("GET /log/checkpoint", PUBLIC);
        m.put("GET /log/tile/entries/<index>", AUDIT);
        m.put("GET /log/tile/tally-entries/<index>", AUDIT);
        m.put("GET /log/tile/{level}/<index>", PUBLIC);
        m.put("GET /health", PUBLIC);
        m.put("GET /health/ready", PUBLIC);
        m.put("GET /health/live", PUBLIC);
        m.put("GET /metrics", ALL);
        m.put("GET /openapi.json", PUBLIC);
        return m;
    }

    @Test
    void everyRouteAnswersEachCallerAsTheMatrixSays() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            s.account("alice");
            s.account("bob");
            Map<ApiRole, String> keys =
                    Map.of(ApiRole.ADMIN, s.admin, ApiRole.SERVICE, s.service, ApiRole.AUDITOR, s.auditor);
            assertThat(s.server.routes())
                    .extracting(r -> r.method() + " " + r.path())
                    .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
            for (Route route : s.server.routes()) {
                String name = route.method() + " " + route.path();
                assertThat(EXPECTED)
                        .as("route %s is in the expected matrix", name)
                        .containsKey(name);
                Set<ApiRole> allowed = EXPECTED.get(name);
                Access access = route.access();
                assertThat(access.open()).as(name + " is public").isEqualTo(allowed.isEmpty());
                assertThat(access.roles()).as(name + " roles").isEqualTo(allowed);
                String path = route.path()
                        .replace("{id}", "alice")
                        .replace("{name}", "no-such-key")
                        .replace("{level}", "0")
                        .replace("{currency}", "EUR")
                        .replace("<index>", "000.p/1");
                String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
                if (allowed.isEmpty()) {
                    Response r = s.http.send(route.method(), path, null, body, Map.of());
                    assertThat(r.status()).as(name + " without a key").isNotIn(401, 403);
                    continue;
                }
                String before = s.dump();
                for (String bad : new String[] {null, "not-a-key-at-all-0000", "tally_revoked_or_never_issued_key"}) {
                    Response r = s.http.send(route.method(), path, bad, body, Map.of());
                    assertThat(r.status()).as(name + " with key " + bad).isEqualTo(401);
                    assertThat(r.code()).isEqualTo("UNAUTHORIZED");
                    assertThat(r.header("WWW-Authenticate")).isPresent();
                    assertThat(r.contentType()).startsWith("application/problem+json");
                }
                Response basic = s.http.send(
                        route.method(), path, null, body, Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));
                assertThat(basic.status()).as(name + " with Basic auth").isEqualTo(401);
                for (ApiRole role : ApiRole.values()) {
                    if (!allowed.contains(role)) {
                        Response r = s.http.send(route.method(), path, keys.get(role), body, Map.of());
                        assertThat(r.status()).as(name + " as " + role).isEqualTo(403);
                        assertThat(r.code()).isEqualTo("FORBIDDEN");
                    }
                }
                assertThat(s.dump()).as(name + ": refused calls wrote nothing").isEqualTo(before);
                for (ApiRole role : allowed) {
                    Response r = s.http.send(route.method(), path, keys.get(role), body, Map.of());
                    assertThat(r.status()).as(name + " as " + role + ": " + r).isNotIn(401, 403);
                }
            }
        }
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            assertThat(s.http.get("/v1/supply", s.service).status()).isEqualTo(200);
            Response revoked = s.http.delete("/v1/admin/api-keys/game-backend", s.admin);
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.json().get("active").asBoolean()).isFalse();
            assertThat(s.http.get("/v1/supply", s.service).status()).isEqualTo(401);
        }
    }

    @Test
    void keysCreatedOverHttpWorkShowTheirSecretOnceAndTheLastAdminKeyStays() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Response created = s.http.post("/v1/admin/api-keys", s.admin, "{\"name\":\"ops\",\"role\":\"auditor\"}");
            assertThat(created.status()).isEqualTo(201);
            String secret = created.json().get("secret").asText();
            assertThat(secret).startsWith("tally_");
            assertThat(s.dump()).doesNotContain(secret);
            assertThat(s.http.get("/v1/supply", secret).status()).isEqualTo(200);
            assertThat(s.http.get("/v1/admin/api-keys", s.admin).body())
                    .doesNotContain(secret)
                    .contains("\"ops\"");
            Response dup = s.http.post("/v1/admin/api-keys", s.admin, "{\"name\":\"ops\",\"role\":\"auditor\"}");
            assertThat(dup.status()).isEqualTo(409);
            Response last = s.http.delete("/v1/admin/api-keys/bootstrap-admin", s.admin);
            assertThat(last.status()).isEqualTo(409);
            assertThat(last.code()).isEqualTo("LAST_ADMIN_KEY");
        }
    }
}
