package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.ExitCodes;
import dev.tally.store.testing.EmbeddedPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A smoke run of {@code tally bench scale --quick}: every figure of the scale suite is reported beside its
 * comparison from the same run. It asserts that the figures exist, never how fast anything is (that is
 * docs/BENCHMARKS.md). The read database here is the primary itself, reached through the suite's own read-only
 * connections: the code path of a standby without one (a real standby is what scripts/pg-replica-pair.sh is for).
 */
class ScaleBenchTest {
    @Test
    void theScaleSuiteReportsEveryFigureBesideItsComparison() {
        String db = EmbeddedPostgres.freshDatabase();
        JsonNode report = Cli.run(
                        "bench", "scale", "--quick", "--json", "--store", "postgres", "--db", db, "--read-db", db)
                .json();

        assertThat(report.get("suite").asText()).isEqualTo("scale");
        assertThat(report.get("store").get("fsync_on_commit").asBoolean())
                .as("the scale suite runs durable")
                .isTrue();
        assertThat(report.get("entries_in_ledger").asLong()).isGreaterThanOrEqualTo(20_000);

        JsonNode write = report.get("write_rate");
        for (String size : List.of("at_baseline", "at_scale")) {
            assertThat(write.get(size).get("transfers_per_second").get("median").asDouble())
                    .as(size)
                    .isPositive();
            assertThat(write.get(size).get("transfers_per_second").get("rounds"))
                    .hasSize(2);
            assertThat(write.get(size).get("latency").get("p99_us").asLong()).isPositive();
        }
        assertThat(write.get("at_scale").get("entries_before").asLong())
                .isGreaterThan(write.get("at_baseline").get("entries_before").asLong());
        assertThat(write.get("ratio").asDouble()).isPositive();

        for (String size : List.of("at_baseline", "at_scale")) {
            for (String page : List.of("newest_page", "page_behind_cursor")) {
                assertThat(report.get("history")
                                .get(size)
                                .get(page)
                                .get("count")
                                .asLong())
                        .as(size + " " + page)
                        .isPositive();
                assertThat(report.get("history")
                                .get(size)
                                .get(page)
                                .get("p99_us")
                                .asLong())
                        .isPositive();
            }
        }

        JsonNode verification = report.get("verification");
        assertThat(verification.get("read_from").asText()).isEqualTo("read-db");
        assertThat(verification.get("read_db_is_standby").asBoolean()).isFalse();
        assertThat(verification.get("full").get("entries").asLong()).isGreaterThanOrEqualTo(20_000);
        assertThat(verification.get("full").get("seconds").get("median").asDouble())
                .isPositive();
        assertThat(verification.get("incremental").get("entries").asLong()).isEqualTo(1_000);
        assertThat(verification.get("incremental").get("seconds").get("median").asDouble())
                .isPositive();

        JsonNode writes = report.get("writes_during_verification");
        assertThat(writes.get("none").get("transfers_per_second").get("median").asDouble())
                .isPositive();
        for (String where : List.of("on_read_db", "on_primary")) {
            assertThat(writes.get(where)
                            .get("transfers_per_second")
                            .get("median")
                            .asDouble())
                    .as(where)
                    .isPositive();
            assertThat(writes.get(where).get("ratio").asDouble()).as(where).isPositive();
            assertThat(writes.get(where)
                            .get("verification_seconds")
                            .get("median")
                            .asDouble())
                    .as(where)
                    .isPositive();
        }

        for (String layout : List.of("partitioned", "unpartitioned")) {
            JsonNode disk = report.get("disk").get(layout);
            assertThat(disk.get("entries").asLong())
                    .as(layout)
                    .isEqualTo(report.get("entries_in_ledger").asLong());
            assertThat(disk.get("bytes_per_entry").asLong()).as(layout).isPositive();
            assertThat(disk.get("index_bytes_per_entry").asLong()).as(layout).isPositive();
        }
        assertThat(report.get("disk").get("partitioned").get("tables").asInt())
                .as("the monthly partitions and the table of ids")
                .isGreaterThan(1);
        assertThat(report.get("disk").get("ratio").asDouble()).isPositive();
    }

    @Test
    void theScaleSuiteRefusesSqlite() {
        Cli.run("bench", "scale", "--quick").failed(ExitCodes.USAGE, "tally: the scale suite measures PostgreSQL");
    }

    @Test
    void aReadDatabaseIsAnOptionOfTheScaleSuiteOnly() {
        Cli.run("bench", "verify", "--quick", "--read-db", "jdbc:postgresql://localhost/x")
                .failed(ExitCodes.USAGE, "tally: --read-db is an option of the scale suite");
    }
}
