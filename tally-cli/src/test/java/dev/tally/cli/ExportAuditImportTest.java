package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.Views;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code tally export}, {@code audit} and {@code import}: an export verifies offline; an edited one fails
 * and names the entry and its line; one restores into an empty store, which then verifies with the same
 * balances; a tampered or cut file is refused and writes nothing.
 */
class ExportAuditImportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExportAuditsOfflineAndRestoresIntoAnEmptyStoreWithTheSameBalances(StoreKind kind) throws IOException {
        String db = economy(kind);
        Path export = dir.resolve("ledger.jsonl");
        JsonNode exported = Cli.json(db, "export", "--out", export.toString());
        assertThat(exported.get("entries").asLong()).isEqualTo(8);
        List<String> lines = Files.readAllLines(export);
        assertThat(lines.get(0)).startsWith("{\"record\":\"header\",\"format\":\"tally-export\",\"version\":1,");
        assertThat(lines.get(1)).startsWith("{\"record\":\"checkpoint\",\"tree_size\":5,");
        assertThat(lines)
                .anyMatch(l ->
                        l.startsWith("{\"record\":\"entry\",\"seq\":1,") && l.contains("\"amount_gross\":\"100.00\""));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"record\":\"end\",\"entries\":8}");

        JsonNode audit = Views.read(Cli.run("audit", export.toString(), "--public-key", pub(), "--json")
                .out());
        assertThat(audit.get("valid").asBoolean()).as("%s", audit).isTrue();
        assertThat(audit.get("entries").asLong()).isEqualTo(8);
        assertThat(audit.get("checkpoints").get("signatures_verified").asInt()).isEqualTo(2);
        assertThat(audit.get("reconciliation").get("valid").asBoolean()).isTrue();

        String target = TestStores.freshLocation(kind);
        JsonNode imported =
                Views.read(Cli.run("import", export.toString(), "--db", target, "--public-key", pub(), "--json")
                        .out());
        assertThat(imported.get("entries").asLong()).isEqualTo(8);

        assertThat(Cli.json(target, "verify", "--public-key", pub())
                        .get("valid")
                        .asBoolean())
                .isTrue();
        assertThat(Cli.json(target, "reconcile").get("valid").asBoolean()).isTrue();
        assertThat(Cli.json(target, "supply")).isEqualTo(Cli.json(db, "supply"));
        assertThat(Cli.json(target, "treasury")).isEqualTo(Cli.json(db, "treasury"));
        for (String account : List.of("alice", "bob", "carol")) {
            assertThat(Cli.json(target, "account", "show", account))
                    .isEqualTo(Cli.json(db, "account", "show", account));
        }
        assertThat(Cli.on(target, "proof", "inclusion", "pay-1").out())
                .isEqualTo(Cli.on(db, "proof", "inclusion", "pay-1").out());
        // The restored ledger takes new entries on top of the old chain.
        Cli.json(target, "transfer", "--from", "bob", "--to", "alice", "--amount", "1", "--currency", "EUR");
        assertThat(Cli.json(target, "verify").get("valid").asBoolean()).isTrue();

        Cli.run("import", export.toString(), "--db", target, "--public-key", pub())
                .failed(1, "tally: refusing to import: ");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedExportFailsTheAuditNamingTheEntryAndIsNotImported(StoreKind kind) throws IOException {
        String db = economy(kind);
        Path export = dir.resolve("ledger.jsonl");
        Cli.json(db, "export", "--out", export.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        int line = indexOf(lines, "\"transaction_id\":\"pay-1\"");
        lines.set(
                line,
                lines.get(line)
                        .replace("\"amount_gross\":\"10.00\"", "\"amount_gross\":\"90.00\"")
                        .replace("\"amount_net\":\"9.90\"", "\"amount_net\":\"89.90\""));
        Files.write(export, lines);

        Cli.Run audit = Cli.run("audit", export.toString(), "--public-key", pub(), "--json");
        assertThat(audit.exitCode()).isEqualTo(1);
        JsonNode report = Views.read(audit.out());
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("error_type").asText()).isEqualTo("TRANSACTION_TAMPERED");
        assertThat(report.get("transaction_id").asText()).isEqualTo("pay-1");
        assertThat(report.get("line").asLong()).isEqualTo(line + 1);
        assertThat(Cli.run("audit", export.toString(), "--public-key", pub()).out())
                .startsWith("❌ Transaction #6 has been tampered with (TRANSACTION_TAMPERED) at line " + (line + 1));

        String target = TestStores.freshLocation(kind);
        Cli.Run refused = Cli.run("import", export.toString(), "--db", target, "--public-key", pub());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errLines().get(refused.errLines().size() - 1)).startsWith("tally: refusing to import");
        Cli.on(target, "supply")
                .failed(ExitCodes.USAGE, "tally: no ledger at "); // nothing was written, not even an empty ledger
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExportWhoseNewestEntriesWereCutOffIsTruncatedAgainstItsCheckpoint(StoreKind kind) throws IOException {
        String db = economy(kind);
        Path export = dir.resolve("ledger.jsonl");
        Cli.json(db, "export", "--out", export.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        // Cut entries #6 to #8 and make the rest agree: header, end record and the state of an older export.
        lines.removeIf(l -> l.startsWith("{\"record\":\"entry\",\"seq\":6,")
                || l.startsWith("{\"record\":\"entry\",\"seq\":7,")
                || l.startsWith("{\"record\":\"entry\",\"seq\":8,"));
        Files.write(export, lines);

        Cli.Run audit = Cli.run("audit", export.toString(), "--public-key", pub(), "--json");
        Cli.Run malformed = Cli.run("audit", export.toString(), "--public-key", pub());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("MALFORMED").contains("end record counts 8 entries but the file holds 5");
        assertThat(audit.exitCode()).isEqualTo(2);

        lines.set(lines.size() - 1, "{\"record\":\"end\",\"entries\":5}");
        Files.write(export, lines);
        JsonNode report = Views.read(Cli.run("audit", export.toString(), "--public-key", pub(), "--json")
                .out());
        assertThat(report.get("valid").asBoolean()).isFalse();
        List<String> types = new ArrayList<>();
        report.get("verification")
                .get("findings")
                .forEach(f -> types.add(f.get("error_type").asText()));
        assertThat(types).contains("TRUNCATED", "MISSING_TRANSACTION");
    }

    /**
     * A small economy: alice, bob and carol, mints, a taxed transfer, a burn, a reversal and a freeze;
     * checkpoints signed at 5 and 8 entries. {@code pay-1} is entry #6.
     */
    private String economy(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/export");
        for (String user : List.of("alice", "bob", "carol")) {
            Cli.json(db, "account", "create", "--username", user, "--email", user + "@example.com");
        }
        Cli.json(db, "mint", "--to", "alice", "--amount", "100", "--currency", "EUR");
        Cli.json(db, "mint", "--to", "bob", "--amount", "50", "--currency", "EUR");
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "carol",
                "--amount",
                "20",
                "--currency",
                "EUR",
                "--type",
                "purchase");
        Cli.json(db, "burn", "--from", "bob", "--amount", "5", "--currency", "EUR");
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "7.5",
                "--currency",
                "EUR",
                "--transaction-id",
                "pay-0");
        checkpoint(db);
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "10",
                "--currency",
                "EUR",
                "--transaction-id",
                "pay-1");
        Cli.json(db, "reverse", "pay-0");
        Cli.json(
                db,
                "transfer",
                "--from",
                "bob",
                "--to",
                "carol",
                "--amount",
                "3",
                "--currency",
                "EUR",
                "--type",
                "income");
        Cli.json(db, "account", "freeze", "carol", "--reason", "chargebacks");
        checkpoint(db);
        return db;
    }

    private void checkpoint(String db) {
        Cli.json(
                db,
                "checkpoint",
                "--key",
                dir.resolve("checkpoint.key").toString(),
                "--witness",
                dir.resolve("witness.txt").toString());
    }

    private String pub() {
        return dir.resolve("checkpoint.pub").toString();
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text);
    }
}
