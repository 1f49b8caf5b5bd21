package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ledger.testing.TestStores;
import dev.tally.server.config.ConfigException;
import dev.tally.server.config.ServerConfig;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What operators rely on: health, metrics, hidden internals on 5xx, the bootstrap admin key. */
class OperationsTest {

    @Test
    void healthIsPublicAndTellsWhetherTheStoreAnswers() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Response health = s.http.get("/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
            assertThat(health.json().get("checks").get("store").get("status").asText())
                    .isEqualTo("UP");
            assertThat(s.http.get("/health/live", null).status()).isEqualTo(200);
            assertThat(s.http.get("/health/ready", null).status()).isEqualTo(200);
        }
    }

    @Test
    void metricsNeedAKeyAndShowTheSequencerAndHttpTimings() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "5.00");
            s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"));
            assertThat(s.http.get("/metrics", null).status()).isEqualTo(401);
            Response m = s.http.get("/metrics", s.auditor);
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.contentType()).startsWith("text/plain");
            assertThat(m.body())
                    .contains(
                            "tally_sequencer_commands_total",
                            "tally_sequencer_conflicts_total",
                            "tally_sequencer_retries_total",
                            "tally_sequencer_entries_total",
                            "tally_occ_conflict_rate",
                            "tally_ledger_frozen",
                            "jvm_memory_used_bytes",
                            "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",route=\"/v1/transfers\",status=\"201\"}");
        }
        try (Running open = Running.start(StoreKind.SQLITE, c -> c.withPublicMetrics(true))) {
            assertThat(open.http.get("/metrics", null).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailingStoreAnswers5xxWithAReferenceAndNoInternals(StoreKind kind) throws Exception {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "5.00");
            sql(s, "ALTER TABLE ledger_entries RENAME TO ledger_entries_gone");
            try {
                for (Response r : List.of(
                        s.http.get("/v1/transactions/anything", s.auditor),
                        s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00")))) {
                    assertThat(r.status()).as(r.toString()).isBetween(500, 599);
                    assertThat(r.contentType()).startsWith("application/problem+json");
                    assertThat(r.code()).isIn("STORE_UNAVAILABLE", "INTERNAL_ERROR");
                    assertThat(r.json().get("detail").asText()).contains("reference");
                    assertThat(r.body())
                            .doesNotContain("ledger_entries")
                            .doesNotContain("Exception")
                            .doesNotContain("SQL")
                            .doesNotContain("at dev.")
                            .doesNotContain("at java.");
                }
            } finally {
                sql(s, "ALTER TABLE ledger_entries_gone RENAME TO ledger_entries");
            }
            Response ok = s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "1.00"));
            assertThat(ok.status())
                    .as("the server recovers with the store: " + ok)
                    .isEqualTo(201);
        }
    }

    @Test
    void malformedHttpIsAProblemTooNotJettysHtmlPage() throws Exception {
        try (Running s = Running.start(StoreKind.SQLITE);
                java.net.Socket socket =
                        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), s.server.port())) {
            socket.getOutputStream()
                    .write("GET /v1/supply HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer)
                    .startsWith("HTTP/1.1 400")
                    .contains("application/problem+json")
                    .contains("\"code\":\"BAD_REQUEST\"")
                    .doesNotContain("<html")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void theFirstStartCreatesAnAdminKeyOnceAndOnlyItsHashIsStored() {
        String location = TestStores.freshLocation(StoreKind.SQLITE);
        ServerConfig config = ServerConfig.defaults()
                .withDb(location)
                .withHost("127.0.0.1")
                .withPort(0)
                .withAudit(ServerConfig.defaults().audit().withEnabled(false));
        String key;
        try (TallyServer first = TallyServer.start(config)) {
            key = first.bootstrapKey().orElseThrow();
            Client http = new Client(first.port());
            assertThat(http.get("/v1/admin/api-keys", key).status()).isEqualTo(200);
            String dump = StoreSql.dump(first.store());
            assertThat(dump).doesNotContain(key).contains(dev.tally.server.auth.ApiKeys.hash(key));
        }
        try (TallyServer second = TallyServer.start(config)) {
            assertThat(second.bootstrapKey()).isEmpty();
            assertThat(new Client(second.port()).get("/v1/admin/api-keys", key).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aConfiguredAdminKeyIsRegisteredAndAReplacedOneStopsWorking() {
        String location = TestStores.freshLocation(StoreKind.SQLITE);
        ServerConfig base = ServerConfig.defaults()
                .withDb(location)
                .withHost("127.0.0.1")
                .withPort(0)
                .withAudit(ServerConfig.defaults().audit().withEnabled(false));
        String one = "first-admin-key-0123456789";
        String two = "second-admin-key-0123456789";
        try (TallyServer s = TallyServer.start(base.withAdminKey(Optional.of(one)))) {
            assertThat(s.bootstrapKey()).isEmpty();
            assertThat(new Client(s.port()).get("/v1/admin/api-keys", one).status())
                    .isEqualTo(200);
        }
        try (TallyServer s = TallyServer.start(base.withAdminKey(Optional.of(two)))) {
            Client http = new Client(s.port());
            assertThat(http.get("/v1/admin/api-keys", two).status()).isEqualTo(200);
            assertThat(http.get("/v1/admin/api-keys", one).status()).isEqualTo(401);
            String secret = http.post("/v1/admin/api-keys", two, "{\"name\":\"svc\",\"role\":\"service\"}")
                    .json()
                    .get("secret")
                    .asText();
            s.stop();
            assertThatThrownBy(() -> TallyServer.start(base.withAdminKey(Optional.of(secret))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("not an admin key");
        }
        assertThatThrownBy(() -> TallyServer.start(base.withAdminKey(Optional.of(one))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> TallyServer.start(base.withAdminKey(Optional.of("short"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TALLY_ADMIN_KEY");
    }

    private static void sql(Running s, String statement) throws Exception {
        StoreSql.execute(s.store(), statement);
    }
}
