package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.ExitCodes;
import dev.tally.json.Views;
import dev.tally.store.testing.EmbeddedPostgres;
import dev.tally.store.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Smoke runs of {@code tally bench --quick}: the harness keeps working and produces every figure. They
 * assert that figures exist and are positive, never how fast anything is (that is docs/BENCHMARKS.md).
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theWriteSuiteReportsSequencerBaselineRatioAndLatency(StoreKind kind) throws Exception {
        Path out = dir.resolve("write.json");
        JsonNode report = Cli.run(args(kind, "write", "--skew", "uniform,zipf", "--out", out.toString()))
                .json();

        assertThat(report.get("suite").asText()).isEqualTo("write");
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
        assertThat(report.get("store").get("kind").asText())
                .isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(report.get("store").get("fsync_on_commit").asBoolean())
                .as("benchmarks run durable")
                .isTrue();
        assertThat(report.get("runs")).hasSize(2);
        for (JsonNode run : report.get("runs")) {
            assertThat(run.get("sequencer")
                            .get("transfers_per_second")
                            .get("median")
                            .asDouble())
                    .isPositive();
            assertThat(run.get("sequencer").get("transfers_per_second").get("rounds"))
                    .hasSize(2);
            assertThat(run.get("sequencer").get("latency").get("p99_us").asLong())
                    .isPositive();
            assertThat(run.get("sequencer").get("rejected").asLong()).isZero();
            assertThat(run.get("half_load").get("achieved_per_second").asLong()).isPositive();
            assertThat(run.get("half_load").get("latency").get("p99_us").asLong())
                    .isPositive();
            assertThat(run.get("store_only")
                            .get("entries_per_second")
                            .get("median")
                            .asDouble())
                    .isPositive();
            assertThat(run.get("naive")
                            .get("transfers_per_second")
                            .get("median")
                            .asDouble())
                    .isPositive();
            assertThat(run.get("ratio").asDouble()).isPositive();
        }
        assertThat(Views.read(Files.readString(out))).isEqualTo(report);
        assertThat(scratchFiles()).as("the bench removes the stores it made").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theVerifySuiteReportsFullIncrementalAndReconciliation(StoreKind kind) {
        JsonNode report = Cli.run(args(kind, "verify", "--entries", "3000")).json();

        assertThat(report.get("params").get("entries_in_ledger").asLong()).isGreaterThanOrEqualTo(3000);
        for (String phase : List.of("full", "incremental", "reconciliation")) {
            assertThat(report.get(phase).get("entries_per_second").get("median").asDouble())
                    .as(phase)
                    .isPositive();
            assertThat(report.get(phase).get("peak_heap_mib").asLong())
                    .as(phase)
                    .isNotNegative();
        }
        assertThat(report.get("incremental").get("entries").asLong()).isEqualTo(1000);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theHttpSuiteReportsSingleAndBatchTransfersThroughTallyServe(StoreKind kind) {
        JsonNode report = Cli.run(args(kind, "http", "--transfers", "300", "--batch", "100"))
                .json();

        assertThat(report.get("single")
                        .get("transfers_per_second")
                        .get("median")
                        .asDouble())
                .isPositive();
        assertThat(report.get("single").get("latency").get("p99_us").asLong()).isPositive();
        assertThat(report.get("batch").get("transfers_per_second").get("median").asDouble())
                .isPositive();
        assertThat(report.get("heap").get("peak_used_mib").asLong()).isPositive();
        assertThat(report.get("single")
                        .get("cpu_per_transfer")
                        .get("process_us")
                        .asDouble())
                .isPositive();
        assertThat(report.get("batch").get("cpu_per_transfer").get("by_thread_group_us"))
                .isNotNull();
    }

    @Test
    void theMerkleSuiteReportsProofsAppendsAndTheOfflineAudit() {
        JsonNode report = Cli.run(args(StoreKind.SQLITE, "merkle", "--entries", "3000", "--transfers", "500"))
                .json();

        assertThat(report.toString()).contains("inclusion", "consistency", "offline_audit");
    }

    @Test
    void textOutputNamesEachPhaseAndTheRatio() {
        Cli.Run run =
                Cli.run("bench", "write", "--quick", "--dir", dir.toString(), "--transfers", "2000", "--rounds", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sequencer", "half load", "store only", "naive", "the naive baseline");
    }

    @Test
    void theWriteSuiteMeasuresEveryFraudRuleOnSideBySideWithTheShieldOff() throws Exception {
        JsonNode report = Cli.run(
                        "bench",
                        "write",
                        "--quick",
                        "--json",
                        "--dir",
                        dir.toString(),
                        "--fraud",
                        "recommended",
                        "--transfers",
                        "2000",
                        "--rounds",
                        "1")
                .json();

        JsonNode fraud = report.get("runs").get(0).get("fraud");
        assertThat(report.get("params").get("fraud").asText()).isEqualTo("recommended");
        assertThat(fraud.get("shield_off").get("median").asDouble()).isPositive();
        assertThat(fraud.get("shield_on").get("median").asDouble()).isPositive();
        assertThat(fraud.get("ratio").asDouble()).isPositive();
        assertThat(fraud.get("account_age_days").asLong())
                .as("the accounts are established, as in a live economy")
                .isGreaterThanOrEqualTo(30);
        assertThat(fraud.get("events_by_rule").has("new_account"))
                .as("established accounts are not the new-account rule's business")
                .isFalse();
        assertThat(scratchFiles()).as("the bench removes the stores it made").isEmpty();
    }

    @Test
    void anUnknownFraudPolicyIsAUsageError() {
        Cli.run("bench", "write", "--quick", "--fraud", "paranoid")
                .failed(ExitCodes.USAGE, "tally: --fraud must be off or recommended");
    }

    @Test
    void theWriteSuiteCanSendTimeOrderedTransactionIds() {
        JsonNode report = Cli.run(
                        "bench",
                        "write",
                        "--quick",
                        "--json",
                        "--dir",
                        dir.toString(),
                        "--ids",
                        "time-ordered",
                        "--transfers",
                        "2000",
                        "--rounds",
                        "1")
                .json();

        assertThat(report.get("params").get("transaction_ids").asText()).isEqualTo("time_ordered");
        assertThat(report.get("runs")
                        .get(0)
                        .get("sequencer")
                        .get("transfers_per_second")
                        .get("median")
                        .asDouble())
                .isPositive();
    }

    @Test
    void anUnknownKindOfTransactionIdIsAUsageError() {
        Cli.run("bench", "write", "--quick", "--ids", "sequential")
                .failed(ExitCodes.USAGE, "tally: --ids must be random or time-ordered");
    }

    @Test
    void sqliteTakesNoServerUrl() {
        Cli.run("bench", "write", "--quick", "--store", "sqlite", "--db", "postgresql://localhost/x")
                .failed(ExitCodes.USAGE, "tally: --db names a PostgreSQL server");
    }

    @Test
    void anUnknownSuiteIsAUsageError() {
        Cli.run("bench", "teleport").failed(ExitCodes.USAGE, "tally: ");
    }

    private String[] args(StoreKind kind, String suite, String... more) {
        List<String> a = new ArrayList<>(List.of("bench", suite, "--quick", "--json"));
        if (kind == StoreKind.POSTGRES) {
            a.addAll(List.of("--store", "postgres", "--db", EmbeddedPostgres.freshDatabase()));
        } else {
            a.addAll(List.of("--dir", dir.toString()));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private List<Path> scratchFiles() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".json"))
                    .toList();
        }
    }
}
