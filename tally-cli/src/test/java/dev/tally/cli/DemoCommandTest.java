package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo runs on a fresh SQLite file by definition, so these tests are SQLite-only. */
class DemoCommandTest {
    @Test
    void theDemoBuildsAnEconomyThatConservesMoneyAndKeepsEveryInvariant() {
        Path file = TestStores.freshSqliteFile();

        JsonNode summary = Cli.run("demo", "--db", file.toString(), "--transfers", "400", "--clients", "4", "--json")
                .json();

        JsonNode payments = summary.get("payments");
        long rejected = 0;
        for (JsonNode n : payments.get("rejected")) {
            rejected += n.asLong();
        }
        assertThat(payments.get("written").asLong() + rejected).isEqualTo(400);
        assertThat(payments.get("written_by_type").size()).isEqualTo(3);
        assertThat(summary.get("frozen_account").get("outcome").asText()).isEqualTo("ACCOUNT_FROZEN");
        assertThat(summary.get("overdraft").get("outcome").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(summary.get("occ").get("conflict").asText()).isEqualTo("VERSION_CONFLICT");
        assertThat(summary.get("occ").get("final_version").asLong())
                .isEqualTo(summary.get("occ").get("read_version").asLong() + 2);
        assertThat(summary.get("replay").get("replayed").asBoolean()).isTrue();
        assertThat(summary.get("replay").get("entries_unchanged").asBoolean()).isTrue();
        assertThat(summary.get("replay").get("other_content").asText()).isEqualTo("DUPLICATE_TRANSACTION");
        assertThat(summary.get("reversal").get("outcome").asText()).isEqualTo("WRITTEN");
        assertThat(summary.get("supply")
                        .get("currencies")
                        .get(0)
                        .get("conserved")
                        .asBoolean())
                .isTrue();
        assertThat(summary.get("db").asText()).isEqualTo(file.toAbsolutePath().toString());
        try (Ledger ledger = Ledger.open(file.toString())) {
            assertThat(Invariants.assertHold(ledger))
                    .isEqualTo(summary.get("chain").get("entries").asLong());
        }
    }

    @Test
    void theDemoNarratesEveryStepForPeople() {
        Path file = TestStores.freshSqliteFile();

        Cli.Run run = Cli.run("demo", "--db", file.toString(), "--transfers", "50", "--clients", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "ACCOUNT_FROZEN",
                        "INSUFFICIENT_FUNDS",
                        "VERSION_CONFLICT",
                        "DUPLICATE_TRANSACTION",
                        "REVERSAL",
                        "Treasury",
                        "TRANSFER_TAX",
                        "VAT",
                        "INCOME_TAX",
                        "CONSERVED");
        assertThat(run.out()).containsPattern("EUR +20000\\.00 +100\\.00 +19900\\.00 +yes");
        // Captured stderr is not a terminal: no progress bar, no carriage returns.
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theDemoRefusesToReuseALedgerFile() throws Exception {
        Path file = TestStores.freshSqliteFile();
        Cli.run("demo", "--db", file.toString(), "--transfers", "10", "--clients", "1", "--json")
                .json();
        String before = Cli.dump(file.toString());
        long size = Files.size(file);

        Cli.run("demo", "--db", file.toString()).failed(ExitCodes.USAGE, "tally: " + file + " already exists");

        assertThat(Cli.dump(file.toString())).isEqualTo(before);
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void theDemoRunsOnlyOnSqlite() {
        Cli.run("demo", "--db", "postgresql://localhost/tally")
                .failed(ExitCodes.USAGE, "tally: the demo runs on a fresh SQLite file");
    }
}
