package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code tally verify} and {@code tally reconcile}: reports, recorded runs, and exit codes 0, 1 and 2. */
class AuditCommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void verifyReportsAValidChainAndExitsZero(StoreKind kind) {
        String db = ledgerWithEntries(kind);

        JsonNode report = Cli.json(db, "verify");
        Cli.Run text = Cli.on(db, "verify");

        assertThat(report.get("valid").asBoolean()).isTrue();
        assertThat(report.get("total_transactions").asLong()).isEqualTo(4);
        assertThat(report.get("message").asText())
                .isEqualTo("✅ Blockchain integrity verified: All 4 transactions are valid");
        assertThat(report.get("performance").has("transactions_per_second")).isTrue();
        assertThat(text.exitCode()).isZero();
        assertThat(text.out())
                .startsWith("✅ Blockchain integrity verified: All 4 transactions are valid")
                .contains("full verification of #1 to #4")
                .contains("next recommended check");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void verifyExitsOneWithTheForensicReportWhenTheChainWasTamperedWith(StoreKind kind) {
        String db = ledgerWithEntries(kind);
        sql(
                db,
                "UPDATE ledger_entries SET amount_gross = amount_gross + 100, amount_net = amount_net + 100 WHERE seq = 2");

        Cli.Run json = Cli.on(db, "verify", "--json");
        Cli.Run text = Cli.on(db, "verify");

        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = dev.tally.json.Views.read(json.out());
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("error_type").asText()).isEqualTo("TRANSACTION_TAMPERED");
        assertThat(report.get("corrupted_transaction").get("index").asLong()).isEqualTo(1);
        assertThat(report.get("findings").size()).isEqualTo(1);
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out())
                .startsWith("❌ Transaction #2 has been tampered with (TRANSACTION_TAMPERED)")
                .contains("CRITICAL");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void incrementalVerificationAndTheHistoryOfRuns(StoreKind kind) {
        String db = ledgerWithEntries(kind);
        Cli.run("keygen", "--out", dir.toString(), "--anchor-only");
        String anchorKey = dir.resolve("anchor.key").toString();
        Cli.json(db, "verify", "--anchor-key", anchorKey);
        Cli.json(db, "mint", "--to", "alice", "--amount", "5", "--currency", "EUR");

        JsonNode incremental = Cli.json(db, "verify", "--incremental", "--anchor-key", anchorKey);
        JsonNode history = Cli.json(db, "verify", "--history");
        Cli.Run historyText = Cli.on(db, "verify", "--history");

        assertThat(incremental.get("mode").asText()).isEqualTo("incremental");
        assertThat(incremental.get("transactions_verified").asLong()).isEqualTo(1);
        assertThat(history.get("runs").size()).isEqualTo(2);
        assertThat(history.get("runs").get(0).get("kind").asText()).isEqualTo("VERIFY_INCREMENTAL");
        assertThat(history.get("runs").get(0).get("from_seq").asLong()).isEqualTo(5);
        assertThat(historyText.out()).contains("VERIFY_INCREMENTAL").contains("VERIFY_FULL");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reconcileExitsZeroWhenBalancesMatchAndOneWhenOneWasEdited(StoreKind kind) {
        String db = ledgerWithEntries(kind);
        assertThat(Cli.json(db, "reconcile").get("valid").asBoolean()).isTrue();

        sql(db, "UPDATE balances SET amount = amount + 1 WHERE currency = 'EUR' AND amount > 0");
        Cli.Run after = Cli.on(db, "reconcile", "--json");

        assertThat(after.exitCode()).isEqualTo(1);
        JsonNode report = dev.tally.json.Views.read(after.out());
        assertThat(report.get("error_type").asText()).isEqualTo("BALANCE_MISMATCH");
        assertThat(report.get("findings").get(0).get("currency").asText()).isEqualTo("EUR");
        assertThat(Cli.on(db, "reconcile").out()).startsWith("❌ The balance of account");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void verifyExitsTwoWhenTheLedgerCannotBeReached(StoreKind kind) {
        String unreachable = kind == StoreKind.POSTGRES
                ? "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"
                : "/proc/tally/none.db";

        Cli.Run run = Cli.on(unreachable, "verify");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    /** A ledger with alice, bob and four entries: two mints and two transfers. */
    private static String ledgerWithEntries(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "100", "--currency", "EUR");
        Cli.json(db, "mint", "--to", "bob", "--amount", "50", "--currency", "EUR");
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "10", "--currency", "EUR");
        Cli.json(db, "transfer", "--from", "bob", "--to", "alice", "--amount", "5", "--currency", "EUR");
        return db;
    }

    /** Edits the store below the library, as an attacker with database access would. */
    private static void sql(String db, String statement) {
        try (LedgerStore store = Stores.open(db)) {
            StoreSql.execute(store, statement);
        }
    }
}
