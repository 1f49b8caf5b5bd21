package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.auth.ApiRole;
import dev.tally.server.console.ConsoleRoute;
import dev.tally.store.testing.StoreKind;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The console's guards over plain HTTP: the role matrix of every console route, sign-in and its cookie, the
 * CSRF token on every POST, the Content-Security-Policy, and escaping of ledger values. The browser suite
 * drives the same pages in Chromium.
 */
class ConsoleSecurityTest {
    static final String EVIL = "x<script>alert(1)</script>&\"'";
    private static final Set<ApiRole> READ = EnumSet.of(ApiRole.ADMIN, ApiRole.AUDITOR);
    private static final Set<ApiRole> ADMIN = EnumSet.of(ApiRole.ADMIN);

    /** Console route → roles whose sessions may use it (empty: no session needed). */
    static final Map<String, Set<ApiRole>> EXPECTED = expected();

    private static Map<String, Set<ApiRole>> expected() {
        Map<String, Set<ApiRole>> m = new LinkedHashMap<>();
        m.put("GET /console/login", Set.of());
        m.put("POST /console/login", Set.of());
        m.put("GET /console/assets/{file}", Set.of());
        m.put("POST /console/logout", READ);
        m.put("GET /console", READ);
        m.put("POST /console/ledger/freeze", ADMIN);
        m.put("POST /console/ledger/unfreeze", ADMIN);
        m.put("GET /console/verifications", READ);
        m.put("GET /console/alerts", READ);
        m.put("GET /console/frozen", READ);
        m.put("POST /console/accounts/freeze", ADMIN);
        m.put("POST /console/accounts/unfreeze", ADMIN);
        m.put("GET /console/accounts", READ);
        m.put("GET /console/accounts/{id}", READ);
        m.put("GET /console/transactions", READ);
        m.put("GET /console/transactions/{id}", READ);
        m.put("GET /console/transactions/{id}/proof", READ);
        m.put("GET /console/fraud", READ);
        m.put("POST /console/fraud/resolve", ADMIN);
        m.put("GET /console/keys", ADMIN);
        m.put("POST /console/keys", ADMIN);
        m.put("POST /console/keys/revoke", ADMIN);
        return m;
    }

    @Test
    void everyConsoleRouteAnswersEachRoleAsTheMatrixSaysAndARefusedPostWritesNothing() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            assertThat(s.http.post(
                                    "/v1/mint",
                                    s.admin,
                                    "{\"transaction_id\":\"t-1\",\"receiver_id\":\"" + alice
                                            + "\",\"currency\":\"EUR\",\"amount\":\"5.00\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(s.server.consoleRoutes())
                    .extracting(ConsoleRoute::toString)
                    .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
            ConsoleHttp admin = signedIn(s, s.admin);
            ConsoleHttp auditor = signedIn(s, s.auditor);
            ConsoleHttp nobody = new ConsoleHttp(s.server.port());
            for (ConsoleRoute route : s.server.consoleRoutes()) {
                assertThat(route.roles()).as(route.toString()).isEqualTo(EXPECTED.get(route.toString()));
                if (route.open()) {
                    continue;
                }
                String path = route.path()
                        .replace("transactions/{id}", "transactions/t-1")
                        .replace("{id}", "alice");
                String before = s.dump();
                if (route.method().equals("GET")) {
                    assertThat(nobody.get(path).statusCode())
                            .as(route + " signed out")
                            .isEqualTo(303);
                    assertThat(auditor.get(path).statusCode())
                            .as(route + " as auditor")
                            .isEqualTo(route.roles().contains(ApiRole.AUDITOR) ? 200 : 403);
                    assertThat(admin.get(path).statusCode())
                            .as(route + " as admin")
                            .isNotIn(401, 403, 500);
                } else {
                    assertThat(nobody.post(path, Map.of()).statusCode())
                            .as(route + " signed out")
                            .isEqualTo(403);
                    if (!route.roles().contains(ApiRole.AUDITOR)) {
                        String token =
                                ConsoleHttp.csrf(auditor.get("/console").body()).orElseThrow();
                        HttpResponse<String> r =
                                auditor.post(path, Map.of("csrf", token, "account", "alice", "reason", "x"));
                        assertThat(r.statusCode())
                                .as(route + " as auditor with its token")
                                .isEqualTo(403);
                    }
                    assertThat(admin.post(path, Map.of("account", "alice", "reason", "x"))
                                    .statusCode())
                            .as(route + " as admin without a CSRF token")
                            .isEqualTo(403);
                    String foreign =
                            ConsoleHttp.csrf(auditor.get("/console").body()).orElseThrow();
                    assertThat(admin.post(path, Map.of("csrf", foreign, "account", "alice", "reason", "x"))
                                    .statusCode())
                            .as(route + " as admin with another session's token")
                            .isEqualTo(403);
                }
                assertThat(s.dump())
                        .as(route + ": refused requests wrote nothing")
                        .isEqualTo(before);
            }
        }
    }

    @Test
    void aServiceKeyAndAWrongKeyCannotSignIn() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            ConsoleHttp c = new ConsoleHttp(s.server.port());
            assertThat(c.signIn(s.service).statusCode()).isEqualTo(403);
            assertThat(c.cookies).doesNotContainKey("tally_console");
            assertThat(c.signIn("tally_not-a-key-0123456789").statusCode()).isEqualTo(401);
            assertThat(c.get("/console").statusCode()).isEqualTo(303);
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndEveryPageSendsTheCsp() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            ConsoleHttp c = new ConsoleHttp(s.server.port());
            HttpResponse<String> signIn = c.signIn(s.admin);
            assertThat(signIn.statusCode()).isEqualTo(303);
            String cookie = signIn.headers().allValues("Set-Cookie").stream()
                    .filter(h -> h.startsWith("tally_console="))
                    .findFirst()
                    .orElseThrow();
            assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
            HttpResponse<String> page = c.get("/console");
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp)
                    .contains("script-src 'self'")
                    .contains("default-src 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(page.body())
                    .doesNotContainPattern("<script>|<script [^>]*>[^<]")
                    .doesNotContain("http://", "https://");
            assertThat(c.post(
                                    "/console/logout",
                                    Map.of("csrf", ConsoleHttp.csrf(page.body()).orElseThrow()))
                            .statusCode())
                    .isEqualTo(303);
            assertThat(c.get("/console").statusCode()).as("signed out").isEqualTo(303);
        }
    }

    @Test
    void anIdleSessionExpires() {
        System.setProperty("tally.console.idle", "PT0.3S");
        try (Running s = Running.start(StoreKind.SQLITE)) {
            ConsoleHttp c = new ConsoleHttp(s.server.port());
            c.signIn(s.admin);
            assertThat(c.get("/console").statusCode()).isEqualTo(200);
            Thread.sleep(500);
            assertThat(c.get("/console").statusCode()).isEqualTo(303);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            System.clearProperty("tally.console.idle");
        }
    }

    @Test
    void ledgerValuesAreShownAsTextNeverAsMarkup() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Response opened = s.http.post(
                    "/v1/accounts",
                    s.admin,
                    "{\"username\":\"mallory\",\"email\":\"m<script>alert(2)</script>&@example.com\"}");
            assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
            String id = opened.json().get("id").asText();
            // A username cannot hold markup (the domain refuses it even when loading a row); an e-mail and a
            // freeze reason can.
            ConsoleHttp c = signedIn(s, s.admin);
            String token = ConsoleHttp.csrf(c.get("/console/frozen").body()).orElseThrow();
            c.post("/console/accounts/freeze", Map.of("csrf", token, "account", id, "reason", EVIL));
            for (String page : new String[] {"/console/accounts/" + id, "/console/frozen"}) {
                assertThat(c.get(page).body())
                        .as(page)
                        .doesNotContain("<script>alert(")
                        .contains("x&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;")
                        .contains("m&lt;script&gt;alert(2)&lt;/script&gt;&amp;@example.com");
            }
            assertThat(c.get("/console/accounts?q=script").body())
                    .doesNotContain("<script>alert(")
                    .contains("m&lt;script&gt;alert(2)&lt;/script&gt;&amp;@example.com");
        }
    }

    @Test
    void aConsoleFreezeIsInTheAdminLogUnderTheKeyNameAsAnApiFreezeIs() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            s.account("alice");
            ConsoleHttp c = signedIn(s, s.admin);
            String token = ConsoleHttp.csrf(c.get("/console/frozen").body()).orElseThrow();
            assertThat(c.post(
                                    "/console/accounts/freeze",
                                    Map.of("csrf", token, "account", "alice", "reason", "chargeback"))
                            .statusCode())
                    .isEqualTo(303);
            assertThat(s.server
                            .ledger()
                            .reads()
                            .findAccount("alice")
                            .orElseThrow()
                            .frozenForFraud())
                    .isTrue();
            String log = s.http.get("/v1/admin/actions", s.admin).body();
            assertThat(log)
                    .contains("FREEZE_ACCOUNT")
                    .contains("bootstrap-admin")
                    .contains("chargeback");
        }
    }

    private static ConsoleHttp signedIn(Running s, String key) {
        ConsoleHttp c = new ConsoleHttp(s.server.port());
        assertThat(c.signIn(key).statusCode()).isEqualTo(303);
        return c;
    }
}
