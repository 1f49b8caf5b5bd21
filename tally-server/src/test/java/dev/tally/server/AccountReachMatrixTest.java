package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.http.Route;
import dev.tally.store.testing.StoreKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Key role × route × target-account role, for every route the server serves. A key that may not call a
 * route gets 403 {@code FORBIDDEN}; a service key that would debit or change the treasury, a SYSTEM or an
 * ADMIN account gets 403 {@code PRIVILEGED_ACCOUNT} (and may not open such accounts: 403 {@code FORBIDDEN});
 * every refusal leaves the database byte-for-byte unchanged; every other call gets its route's success. The
 * rows are keyed by the server's route table, so a route added without a row here fails this test.
 */
class AccountReachMatrixTest {
    /** What a route does to the account it is aimed at, which decides whether a key reaches it. */
    enum Touch {
        /** Aimed at no account. */
        NONE,
        /** Reads the target. */
        READ,
        /** Credits the target (only admins may, by the route's access). */
        CREDIT,
        /** Takes money from the target. */
        DEBIT,
        /** Changes the target's record (e-mail, freeze). */
        CHANGE,
        /** Opens an account of the target's role. */
        OPEN
    }

    /** One request: path, body (null: none) and extra headers. */
    record Req(String path, String body, Map<String, String> headers) {
        static Req of(String path) {
            return new Req(path, null, Map.of());
        }

        static Req of(String path, String body) {
            return new Req(path, body, Map.of());
        }
    }

    /** An account a request is aimed at: its role and the reference used in requests. */
    record Target(Role role, String ref) {}

    /** A matrix row: what the route touches, how to call it at a target (with a fresh unique suffix), and its success statuses. */
    record Row(Touch touch, BiFunction<Target, String, Req> request, Set<Integer> ok) {}

    private static final String T = "/v1/transfers";

    private static Map<String, Row> rows() {
        Map<String, Row> m = new LinkedHashMap<>();
        m.put(
                "POST /v1/accounts",
                new Row(
                        Touch.OPEN,
                        (t, u) -> Req.of(
                                "/v1/accounts",
                                "{\"username\":\"n" + u + "\",\"email\":\"n" + u + "@example.com\",\"role\":\""
                                        + t.role() + "\"}"),
                        Set.of(201)));
        m.put("GET /v1/accounts", new Row(Touch.NONE, (t, u) -> Req.of("/v1/accounts"), Set.of(200)));
        m.put("GET /v1/accounts/{id}", new Row(Touch.READ, (t, u) -> Req.of("/v1/accounts/" + t.ref()), Set.of(200)));
        m.put(
                "PATCH /v1/accounts/{id}",
                new Row(
                        Touch.CHANGE,
                        (t, u) -> new Req(
                                "/v1/accounts/" + t.ref(),
                                "{\"email\":\"p" + u + "@example.com\"}",
                                Map.of("If-Match", "*")),
                        Set.of(200)));
        m.put(
                "GET /v1/accounts/{id}/balances",
                new Row(Touch.READ, (t, u) -> Req.of("/v1/accounts/" + t.ref() + "/balances"), Set.of(200)));
        m.put(
                "GET /v1/accounts/{id}/history",
                new Row(Touch.READ, (t, u) -> Req.of("/v1/accounts/" + t.ref() + "/history"), Set.of(200)));
        // The treasury cannot be frozen at all (422, from the engine): the ledger is frozen instead.
        m.put(
                "POST /v1/accounts/{id}/freeze",
                new Row(
                        Touch.CHANGE,
                        (t, u) -> Req.of("/v1/accounts/" + t.ref() + "/freeze", "{\"reason\":\"matrix\"}"),
                        Set.of(200, 422)));
        m.put(
                "POST /v1/accounts/{id}/unfreeze",
                new Row(Touch.CHANGE, (t, u) -> Req.of("/v1/accounts/" + t.ref() + "/unfreeze"), Set.of(200)));
        // The treasury takes no limits (422, from the engine).
        m.put(
                "PUT /v1/accounts/{id}/limits/{currency}",
                new Row(
                        Touch.CHANGE,
                        (t, u) -> new Req(
                                "/v1/accounts/" + t.ref() + "/limits/EUR",
                                "{\"credit_limit\":\"0\",\"max_balance\":null}",
                                Map.of("If-Match", "*")),
                        Set.of(200, 422)));
        // This server has one currency, so an exchange that passes the reach check is invalid (422): what the
        // row checks is that a key may only exchange out of the accounts it may debit.
        m.put(
                "POST /v1/exchanges",
                new Row(
                        Touch.DEBIT,
                        (t, u) -> Req.of(
                                "/v1/exchanges",
                                "{\"transaction_id\":\"x" + u + "\",\"account_id\":\"" + t.ref()
                                        + "\",\"market_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"1.00\","
                                        + "\"target_currency\":\"EUR\",\"rate\":\"1\"}"),
                        Set.of(422)));
        m.put(
                "POST /v1/transfers",
                new Row(Touch.DEBIT, (t, u) -> Req.of(T, transfer("t" + u, t.ref(), "bob")), Set.of(201)));
        // Settles a pending transfer out of the target, made in setUp: a retry (the derived id) replays with 200.
        m.put(
                "POST /v1/transfers/{id}/post",
                new Row(Touch.DEBIT, (t, u) -> Req.of(T + "/hold-post-" + t.role() + "/post", ""), Set.of(201, 200)));
        m.put(
                "POST /v1/transfers/{id}/void",
                new Row(Touch.DEBIT, (t, u) -> Req.of(T + "/hold-void-" + t.role() + "/void", ""), Set.of(201, 200)));
        // Not linked, with a transfer every key may make first: a refusal must still refuse the whole batch.
        m.put(
                "POST /v1/transfers/batch",
                new Row(
                        Touch.DEBIT,
                        (t, u) -> Req.of(
                                T + "/batch",
                                "{\"transfers\":[" + transfer("b" + u + "-ok", "alice", "bob") + ","
                                        + transfer("b" + u, t.ref(), "bob") + "]}"),
                        Set.of(200)));
        m.put(
                "POST /v1/mint",
                new Row(
                        Touch.CREDIT,
                        (t, u) -> Req.of(
                                "/v1/mint",
                                "{\"transaction_id\":\"m" + u + "\",\"receiver_id\":\"" + t.ref()
                                        + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}"),
                        Set.of(201)));
        m.put(
                "POST /v1/burn",
                new Row(
                        Touch.DEBIT,
                        (t, u) -> Req.of(
                                "/v1/burn",
                                "{\"transaction_id\":\"x" + u + "\",\"sender_id\":\"" + t.ref()
                                        + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}"),
                        Set.of(201)));
        // Undoes a transfer into the target, made in setUp: the reversal takes the money back out of it.
        m.put(
                "POST /v1/reversals",
                new Row(
                        Touch.DEBIT,
                        (t, u) -> Req.of(
                                "/v1/reversals",
                                "{\"transaction_id\":\"r" + u + "\",\"original_transaction_id\":\"into-" + t.role()
                                        + "\"}"),
                        Set.of(201)));
        m.put(
                "GET /v1/transactions/{id}",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/transactions/into-USER"), Set.of(200)));
        m.put("GET /v1/treasury", new Row(Touch.NONE, (t, u) -> Req.of("/v1/treasury"), Set.of(200)));
        m.put("GET /v1/supply", new Row(Touch.NONE, (t, u) -> Req.of("/v1/supply"), Set.of(200)));
        m.put(
                "GET /v1/admin/ledger-freeze",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/admin/ledger-freeze"), Set.of(200)));
        m.put(
                "POST /v1/admin/ledger-freeze",
                new Row(
                        Touch.NONE,
                        (t, u) -> Req.of("/v1/admin/ledger-freeze", "{\"reason\":\"matrix\"}"),
                        Set.of(200)));
        m.put(
                "DELETE /v1/admin/ledger-freeze",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/admin/ledger-freeze"), Set.of(200)));
        m.put("GET /v1/admin/api-keys", new Row(Touch.NONE, (t, u) -> Req.of("/v1/admin/api-keys"), Set.of(200)));
        m.put(
                "POST /v1/admin/api-keys",
                new Row(
                        Touch.NONE,
                        (t, u) -> Req.of("/v1/admin/api-keys", "{\"name\":\"k" + u + "\",\"role\":\"auditor\"}"),
                        Set.of(201)));
        m.put(
                "DELETE /v1/admin/api-keys/{name}",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/admin/api-keys/spare"), Set.of(200)));
        m.put("GET /v1/admin/actions", new Row(Touch.NONE, (t, u) -> Req.of("/v1/admin/actions"), Set.of(200)));
        m.put("GET /v1/fraud/events", new Row(Touch.NONE, (t, u) -> Req.of("/v1/fraud/events"), Set.of(200)));
        m.put(
                "POST /v1/fraud/events/{id}/resolve",
                new Row(
                        Touch.NONE,
                        (t, u) -> Req.of("/v1/fraud/events/1/resolve", "{\"action\":\"dismiss\"}"),
                        Set.of(404)));
        m.put("POST /v1/audit/verify", new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/verify"), Set.of(200)));
        m.put("POST /v1/audit/reconcile", new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/reconcile"), Set.of(200)));
        m.put("GET /v1/audit/runs", new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/runs"), Set.of(200)));
        m.put(
                "GET /v1/audit/checkpoint",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/checkpoint"), Set.of(200, 404)));
        m.put(
                "GET /v1/audit/proofs/inclusion/{id}",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/proofs/inclusion/into-USER"), Set.of(200)));
        m.put(
                "GET /v1/audit/proofs/consistency",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/audit/proofs/consistency?size1=1&size2=2"), Set.of(200)));
        m.put(
                "GET /v1/transactions/{id}/receipt",
                new Row(Touch.NONE, (t, u) -> Req.of("/v1/transactions/into-USER/receipt"), Set.of(200, 503)));
        m.put("GET /log/checkpoint", new Row(Touch.NONE, (t, u) -> Req.of("/log/checkpoint"), Set.of(200, 404)));
        m.put(
                "GET /log/tile/entries/<index>",
                new Row(Touch.NONE, (t, u) -> Req.of("/log/tile/entries/000.p/1"), Set.of(200, 404)));
        m.put(
                "GET /log/tile/tally-entries/<index>",
                new Row(Touch.NONE, (t, u) -> Req.of("/log/tile/tally-entries/000.p/1"), Set.of(200, 404)));
        m.put(
                "GET /log/tile/{level}/<index>",
                new Row(Touch.NONE, (t, u) -> Req.of("/log/tile/0/000.p/1"), Set.of(200, 404)));
        m.put("GET /health", new Row(Touch.NONE, (t, u) -> Req.of("/health"), Set.of(200)));
        m.put("GET /health/ready", new Row(Touch.NONE, (t, u) -> Req.of("/health/ready"), Set.of(200)));
        m.put("GET /health/live", new Row(Touch.NONE, (t, u) -> Req.of("/health/live"), Set.of(200)));
        m.put("GET /metrics", new Row(Touch.NONE, (t, u) -> Req.of("/metrics"), Set.of(200)));
        m.put("GET /openapi.json", new Row(Touch.NONE, (t, u) -> Req.of("/openapi.json"), Set.of(200)));
        return m;
    }

    @Test
    void everyKeyReachesExactlyTheAccountsItsRoleAllowsOnEveryRoute() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Map<Role, Target> targets = setUp(s);
            Map<String, Row> rows = rows();
            assertThat(rows.keySet())
                    .as("one matrix row per route the server serves")
                    .containsExactlyInAnyOrderElementsOf(s.server.routes().stream()
                            .map(AccountReachMatrixTest::name)
                            .toList());
            Map<ApiRole, String> keys =
                    Map.of(ApiRole.ADMIN, s.admin, ApiRole.SERVICE, s.service, ApiRole.AUDITOR, s.auditor);
            int unique = 0;
            int refusals = 0;
            for (Route route : s.server.routes()) {
                String name = name(route);
                Row row = rows.get(name);
                Set<ApiRole> callers = AuthMatrixTest.EXPECTED.get(name);
                List<Target> aims =
                        row.touch() == Touch.NONE ? List.of(targets.get(Role.USER)) : List.copyOf(targets.values());
                for (Target target : aims) {
                    for (ApiRole role : List.of(ApiRole.SERVICE, ApiRole.AUDITOR, ApiRole.ADMIN)) {
                        String expectedCode = expectedRefusal(row.touch(), callers, role, target.role());
                        Req req = row.request().apply(target, Integer.toString(++unique));
                        String before = expectedCode == null ? null : s.dump();
                        Response r = s.http.send(
                                route.method(),
                                req.path(),
                                callers.isEmpty() ? null : keys.get(role),
                                req.body(),
                                req.headers());
                        String what = name + " as " + role.label() + " on a " + target.role() + " account: " + r;
                        if (expectedCode != null) {
                            refusals++;
                            assertThat(r.status()).as(what).isEqualTo(403);
                            assertThat(r.code()).as(what).isEqualTo(expectedCode);
                            assertThat(r.contentType()).as(what).startsWith("application/problem+json");
                            assertThat(s.dump()).as(what + ": nothing written").isEqualTo(before);
                        } else {
                            assertThat(r.status()).as(what).isIn(row.ok());
                        }
                    }
                }
            }
            assertThat(refusals).as("the matrix refuses something").isGreaterThan(50);
        }
    }

    @Test
    void aServiceKeyCannotEmptyTheTreasuryOrChangeAPrivilegedAccountAndTheRefusalNamesTheField() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Map<Role, Target> targets = setUp(s);
            String before = s.dump();
            Response out = s.http.post(T, s.service, transfer("steal-1", "treasury", "alice"));
            assertThat(out.status()).as(out.toString()).isEqualTo(403);
            assertThat(out.code()).isEqualTo("PRIVILEGED_ACCOUNT");
            assertThat(out.json().get("field").asText()).isEqualTo("sender_id");
            Response batch = s.http.post(
                    T + "/batch",
                    s.service,
                    "{\"linked\":false,\"transfers\":[" + transfer("ok-1", "alice", "bob") + ","
                            + transfer("steal-2", targets.get(Role.ADMIN).ref(), "alice") + "]}");
            assertThat(batch.status()).as(batch.toString()).isEqualTo(403);
            assertThat(batch.json().get("field").asText()).isEqualTo("transfers[1].sender_id");
            Response email = s.http.send(
                    "PATCH",
                    "/v1/accounts/treasury",
                    s.service,
                    "{\"email\":\"me@evil.example\"}",
                    Map.of("If-Match", "*"));
            assertThat(email.status()).as(email.toString()).isEqualTo(403);
            assertThat(email.code()).isEqualTo("PRIVILEGED_ACCOUNT");
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.post(T, s.service, transfer("pay-in", "alice", "treasury"))
                            .status())
                    .as("paying into the treasury stays allowed")
                    .isEqualTo(201);
        }
    }

    /** The code a call must be refused with, or null when it must succeed. */
    private static String expectedRefusal(Touch touch, Set<ApiRole> callers, ApiRole role, Role target) {
        if (!callers.isEmpty() && !callers.contains(role)) {
            return "FORBIDDEN";
        }
        boolean reaches = role == ApiRole.ADMIN || target == Role.USER;
        return switch (touch) {
            case DEBIT, CHANGE -> reaches ? null : "PRIVILEGED_ACCOUNT";
            case OPEN -> reaches ? null : "FORBIDDEN";
            default -> null;
        };
    }

    /**
     * alice and bob (USER), carol (USER), boss (ADMIN) and the treasury (SYSTEM), the last three funded by
     * alice and each the receiver of a transfer {@code into-ROLE} to reverse; a spare API key to revoke.
     */
    private static Map<Role, Target> setUp(Running s) {
        s.account("alice");
        s.account("bob");
        s.account("carol");
        Response boss = s.http.post(
                "/v1/accounts", s.admin, "{\"username\":\"boss\",\"email\":\"boss@example.com\",\"role\":\"ADMIN\"}");
        assertThat(boss.status()).as(boss.toString()).isEqualTo(201);
        Map<Role, Target> targets = new EnumMap<>(Role.class);
        targets.put(Role.USER, new Target(Role.USER, "carol"));
        targets.put(Role.ADMIN, new Target(Role.ADMIN, "boss"));
        targets.put(Role.SYSTEM, new Target(Role.SYSTEM, "treasury"));
        s.mint("alice", "1000.00");
        for (Target t : targets.values()) {
            Response fund = s.http.post(
                    T, s.admin, transfer("fund-" + t.role(), "alice", t.ref()).replace("\"1.00\"", "\"100.00\""));
            assertThat(fund.status()).as(fund.toString()).isEqualTo(201);
            Response in = s.http.post(T, s.admin, transfer("into-" + t.role(), "alice", t.ref()));
            assertThat(in.status()).as(in.toString()).isEqualTo(201);
            for (String step : List.of("post", "void")) {
                Response hold = s.http.post(
                        T,
                        s.admin,
                        transfer("hold-" + step + "-" + t.role(), t.ref(), "bob")
                                .replace("}", ",\"pending\":true,\"timeout_seconds\":3600}"));
                assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            }
        }
        Response spare = s.http.post("/v1/admin/api-keys", s.admin, "{\"name\":\"spare\",\"role\":\"auditor\"}");
        assertThat(spare.status()).as(spare.toString()).isEqualTo(201);
        return targets;
    }

    private static String transfer(String id, String from, String to) {
        return "{\"transaction_id\":\"" + id + "\",\"sender_id\":\"" + from + "\",\"receiver_id\":\"" + to
                + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}";
    }

    private static String name(Route r) {
        return r.method() + " " + r.path();
    }
}
