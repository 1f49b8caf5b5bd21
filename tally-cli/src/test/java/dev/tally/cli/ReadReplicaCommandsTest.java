package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StreamingStandby;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading commands with {@code --read-db} on a real PostgreSQL 15 streaming standby (one pair for the class):
 * they read the replica and say so, and a stopped replica is a warning and a read of the primary, or a failure
 * (exit 2) under {@code --replica-fallback fail}.
 */
class ReadReplicaCommandsTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static StreamingStandby pair;
    private static String db;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPair() {
        pair = StreamingStandby.start();
        db = pair.primaryUrl();
        assertThat(Cli.on(db, "init").exitCode()).isZero();
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "25.00", "--currency", "EUR");
        pair.awaitCaughtUp(CATCH_UP);
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void verifyAndReconcileReadTheReplicaAndSaySo() {
        JsonNode verify = Cli.json(db, "verify", "--read-db", pair.standbyUrl());
        JsonNode reconcile = Cli.json(db, "reconcile", "--read-db", pair.standbyUrl());
        Cli.Run text = Cli.on(db, "verify", "--read-db", pair.standbyUrl());

        assertThat(verify.get("valid").asBoolean()).isTrue();
        assertThat(verify.get("read_from").asText()).isEqualTo("replica");
        assertThat(verify.get("replica_lag").get("entries").asLong()).isZero();
        assertThat(verify.get("replica_lag").has("wal_bytes")).isTrue();
        assertThat(reconcile.get("read_from").asText()).isEqualTo("replica");
        assertThat(text.out()).contains("read from the replica (replica lag 0 entries");
    }

    @Test
    void theReadingCommandsServeFromTheReplica() {
        assertThat(Cli.json(db, "history", "alice", "--read-db", pair.standbyUrl())
                        .get("read_from")
                        .asText())
                .isEqualTo("replica");
        assertThat(Cli.json(db, "account", "show", "alice", "--read-db", pair.standbyUrl())
                        .get("balances")
                        .toString())
                .contains("25.00");
        assertThat(Cli.json(db, "treasury", "--read-db", pair.standbyUrl())
                        .get("read_from")
                        .asText())
                .isEqualTo("replica");
        assertThat(Cli.on(db, "supply", "--read-db", pair.standbyUrl()).exitCode())
                .isZero();
        Path file = dir.resolve("ledger.jsonl");
        assertThat(Cli.json(db, "export", "--out", file.toString(), "--read-db", pair.standbyUrl())
                        .get("read_from")
                        .asText())
                .isEqualTo("replica");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void aStoppedReplicaIsAWarningAndAReadOfThePrimaryOrAFailureWhenAskedTo() {
        pair.stopStandby();
        try {
            Cli.Run fallback = Cli.on(db, "verify", "--json", "--read-db", pair.standbyUrl());
            Cli.Run strict = Cli.on(db, "verify", "--read-db", pair.standbyUrl(), "--replica-fallback", "fail");

            JsonNode report = fallback.json();
            assertThat(report.get("valid").asBoolean()).isTrue();
            assertThat(report.get("read_from").asText()).isEqualTo("primary");
            assertThat(report.get("warning").asText()).contains("the replica cannot be read");
            assertThat(fallback.err()).contains("tally: warning: the replica cannot be read");
            assertThat(strict.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(strict.err()).contains("replica fallback is 'fail'");
        } finally {
            pair.startStandby();
        }
    }

    @Test
    void aBadFallbackIsAUsageError() {
        Cli.Run run = Cli.on(db, "supply", "--read-db", pair.standbyUrl(), "--replica-fallback", "maybe");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--replica-fallback must be 'primary' or 'fail'");
    }
}
