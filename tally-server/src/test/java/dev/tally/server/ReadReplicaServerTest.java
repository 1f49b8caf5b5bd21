package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.store.testing.StreamingStandby;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tally serve} with {@code read_replica} on a real PostgreSQL 15 streaming standby (one pair for the class):
 * its audits read the replica and say so; the mint gate does not pass on a replica lagging beyond the bound; a
 * replica that cannot serve is counted in the metrics.
 */
class ReadReplicaServerTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static StreamingStandby pair;

    @BeforeAll
    static void startPair() {
        pair = StreamingStandby.start();
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    /** A server on a new database of the primary, reading the same database on the standby as {@code tune} says. */
    private static Running serve(String database, UnaryOperator<ReplicaConfig> tune) {
        pair.createDatabase(database);
        ReplicaConfig replica = tune.apply(ReplicaConfig.of(pair.standbyUrl(database)));
        return Running.start(
                pair.primaryUrl(database), c -> c.withReadReplica(Optional.of(replica)), Clock.systemUTC());
    }

    @Test
    void theAuditsReadTheReplicaAndSaySo() {
        try (Running s = serve("audits", r -> r)) {
            s.mint(s.account("alice"), "10.00");
            pair.awaitCaughtUp(CATCH_UP);

            JsonNode verify = s.http.post("/v1/audit/verify", s.auditor, null).json();
            s.server.audits().runDaily();

            assertThat(verify.get("valid").asBoolean()).isTrue();
            assertThat(verify.get("read_from").asText()).isEqualTo("replica");
            assertThat(verify.get("replica_lag").has("entries")).isTrue();
            assertThat(s.server.audits().lastReadFrom().fromReplica()).isTrue();
            assertThat(s.server.ledger().reads().controls().frozen()).isFalse();
        }
    }

    @Test
    void theMintGateDoesNotPassOnAReplicaLaggingBeyondTheBound() {
        try (Running s = serve("gate", r -> r.withMaxLagEntries(0).withFallback(ReplicaConfig.Fallback.FAIL))) {
            String bob = s.account("bob");
            pair.awaitCaughtUp(CATCH_UP);
            pair.pauseReplay();
            try {
                s.mint(bob, "1.00");
                Response mint = s.http.post(
                        "/v1/mint",
                        s.admin,
                        "{\"transaction_id\":\"gated\",\"receiver_id\":\"" + bob
                                + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}");

                assertThat(mint.status()).as(mint.toString()).isEqualTo(503);
                assertThat(mint.code()).isEqualTo("INTEGRITY_UNVERIFIED");
                assertThat(s.http.get("/metrics", s.admin).body())
                        .contains("tally_replica_unusable_total{action=\"fail\"");
            } finally {
                pair.resumeReplay();
            }
        }
    }

    @Test
    void aLaggingReplicaIsPassedOverForThePrimaryWithAWarningAndAMetric() {
        try (Running s = serve("fallback", r -> r.withMaxLagEntries(0))) {
            String carol = s.account("carol");
            pair.awaitCaughtUp(CATCH_UP);
            pair.pauseReplay();
            try {
                s.mint(carol, "1.00");
                s.mint(carol, "1.00");

                JsonNode verify =
                        s.http.post("/v1/audit/verify", s.auditor, null).json();

                assertThat(verify.get("valid").asBoolean()).isTrue();
                assertThat(verify.get("read_from").asText()).isEqualTo("primary");
                assertThat(verify.get("warning").asText()).contains("read the primary instead");
                assertThat(s.http.get("/metrics", s.admin).body())
                        .contains("tally_replica_unusable_total{action=\"fallback\"");
            } finally {
                pair.resumeReplay();
            }
        }
    }
}
