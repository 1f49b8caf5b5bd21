package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.Views;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.NoteSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What someone who can write the database can forge, and must not be trusted: a recorded verification run
 * (the incremental anchor), the checkpoints stored beside the entries, and an export stripped of its
 * checkpoints. Each check trusts only a key or a file kept outside the database.
 */
class ForgedTrustTest {
    /** A run forged to lie in the future, so that it is the newest: it claims the chain up to #6 verified. */
    private static final String FORGED_RUN =
            "INSERT INTO verification_runs (id, kind, started_at, finished_at, from_seq, to_seq, last_hash,"
                    + " valid, findings_count, duration_ms) VALUES ('00000000-0000-4000-8000-00000000f00d', 'VERIFY_FULL', 4102444800000000,"
                    + " 4102444800000000, 1, 6, (SELECT current_hash FROM ledger_entries WHERE seq = 6), true, 0, 0)";

    @TempDir
    Path dir;

    // ---- the incremental anchor -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedVerificationRunDoesNotHideATamperedEntryFromAnIncrementalRun(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "verify", "--anchor-key", anchorKey());
        twoMoreTransfers(db);
        MerkleCommandsTest.sql(db, "UPDATE ledger_entries SET actor = 'mallory' WHERE seq = 5");
        MerkleCommandsTest.sql(db, FORGED_RUN);

        Cli.Run withoutKey = Cli.on(db, "verify", "--incremental", "--json");
        Cli.Run withKey = Cli.on(db, "verify", "--incremental", "--anchor-key", anchorKey(), "--json");

        assertThat(withoutKey.exitCode()).as(withoutKey.out()).isEqualTo(1);
        assertThat(Views.read(withoutKey.out()).get("mode").asText()).isEqualTo("full");
        assertThat(withKey.exitCode()).as(withKey.out()).isEqualTo(1);
        JsonNode fromRealAnchor = Views.read(withKey.out());
        assertThat(fromRealAnchor.get("verified_range").get("from_seq").asLong())
                .as("continues the real run, to #4")
                .isEqualTo(5);
        assertThat(fromRealAnchor.get("error_type").asText()).isEqualTo("TRANSACTION_TAMPERED");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedRunCarryingTheMacOfARealRunIsNotAnAnchor(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "verify", "--anchor-key", anchorKey());
        twoMoreTransfers(db);
        MerkleCommandsTest.sql(db, "UPDATE ledger_entries SET actor = 'mallory' WHERE seq = 5");
        MerkleCommandsTest.sql(db, FORGED_RUN);
        MerkleCommandsTest.sql(
                db,
                "UPDATE verification_runs SET anchor_mac = (SELECT max(anchor_mac) FROM verification_runs)"
                        + " WHERE anchor_mac IS NULL");

        Cli.Run run = Cli.on(db, "verify", "--incremental", "--anchor-key", anchorKey(), "--json");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(Views.read(run.out()).get("verified_range").get("from_seq").asLong())
                .isEqualTo(5);
        assertThat(Views.read(run.out()).get("note").asText()).contains("1 newer recorded run was not authenticated");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIncrementalRunStartsFromTheNewestRunItsKeyAuthenticated(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "verify", "--anchor-key", anchorKey());
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");

        JsonNode report = Cli.json(db, "verify", "--incremental", "--anchor-key", anchorKey());

        assertThat(report.get("mode").asText()).isEqualTo("incremental");
        assertThat(report.get("verified_range").get("from_seq").asLong()).isEqualTo(5);
        assertThat(report.get("transactions_verified").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAnAnchorKeyAnIncrementalRunIsFullAndSaysWhy(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "verify", "--anchor-key", anchorKey());

        JsonNode report = Cli.json(db, "verify", "--incremental");

        assertThat(report.get("mode").asText()).isEqualTo("full");
        assertThat(report.get("note").asText()).contains("anchor key");
    }

    // ---- the witness file ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEmptyWitnessFileIsAFailureToVerifyEvenOnATruncatedLedger(StoreKind kind) throws IOException {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        MerkleCommandsTest.sql(db, "DELETE FROM ledger_entries WHERE seq = 4");
        MerkleCommandsTest.sql(
                db,
                "UPDATE chain_head SET seq = 3, hash = (SELECT current_hash FROM ledger_entries WHERE seq = 3) WHERE id = 1");
        Path empty = Files.createFile(dir.resolve("empty.txt"));

        Cli.on(db, "verify", "--checkpoints", empty.toString(), "--public-key", publicKey())
                .failed(2, "tally: no checkpoint in empty.txt verifies with key ledger.example.com/forge");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWitnessFileSignedOnlyByAnotherKeyIsAFailureToVerify(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Path other = dir.resolve("other");
        Cli.run("keygen", "--out", other.toString(), "--name", "ledger.example.com/forge");
        Cli.json(
                db,
                "checkpoint",
                "--key",
                other.resolve("checkpoint.key").toString(),
                "--witness",
                witness().toString());

        Cli.on(db, "verify", "--checkpoints", witness().toString(), "--public-key", publicKey())
                .failed(2, "tally: no checkpoint in witness.txt verifies with key ledger.example.com/forge");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyReportSaysHowManyCheckpointsItCheckedAndTheNewestSignedSize(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());

        JsonNode json = Cli.json(db, "verify", "--checkpoints", witness().toString(), "--public-key", publicKey());
        String text = Cli.on(db, "verify", "--checkpoints", witness().toString(), "--public-key", publicKey())
                .out();
        JsonNode none = Cli.json(db, "verify");

        assertThat(json.get("checkpoints").get("checked").asInt()).isEqualTo(2);
        assertThat(json.get("checkpoints").get("newest_signed_size").asLong()).isEqualTo(5);
        assertThat(text).contains("2 checkpoints checked (witness.txt), the newest signed at size 5");
        assertThat(none.get("checkpoints").get("checked").asInt()).isZero();
    }

    // ---- exports ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExportStrippedOfItsCheckpointsIsRefusedWithAPublicKey(StoreKind kind) throws IOException {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Path export = strippedExport(db);
        String target = dev.tally.ledger.testing.TestStores.freshLocation(kind);

        Cli.run("audit", export.toString(), "--public-key", publicKey())
                .failed(2, "tally: no checkpoint in ledger.jsonl verifies with key ledger.example.com/forge");
        Cli.run("import", export.toString(), "--db", target, "--public-key", publicKey())
                .failed(2, "tally: no checkpoint in ledger.jsonl verifies with key ledger.example.com/forge");
        assertThat(Cli.run("supply", "--db", target).exitCode())
                .as("nothing was imported")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWitnessFileVouchesForAStrippedExportAndCatchesATruncatedOne(StoreKind kind) throws IOException {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Path export = strippedExport(db);
        String target = dev.tally.ledger.testing.TestStores.freshLocation(kind);

        JsonNode audit = Views.read(Cli.run(
                        "audit",
                        export.toString(),
                        "--public-key",
                        publicKey(),
                        "--witness",
                        witness().toString(),
                        "--json")
                .out());
        JsonNode imported = Views.read(Cli.run(
                        "import",
                        export.toString(),
                        "--db",
                        target,
                        "--public-key",
                        publicKey(),
                        "--witness",
                        witness().toString(),
                        "--json")
                .out());
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Cli.Run truncated = Cli.run(
                "audit",
                export.toString(),
                "--public-key",
                publicKey(),
                "--witness",
                witness().toString(),
                "--json");

        assertThat(audit.get("valid").asBoolean()).isTrue();
        assertThat(audit.get("checkpoints").get("signatures_verified").asInt()).isEqualTo(1);
        assertThat(imported.get("imported").asBoolean()).isTrue();
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(Views.read(truncated.out()).get("error_type").asText()).isEqualTo("TRUNCATED");
    }

    // ---- tally checkpoint ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStoredCheckpointSignedByAnotherKeyNeverReachesTheWitnessFile(StoreKind kind) throws IOException {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        JsonNode real = Cli.json(
                db,
                "checkpoint",
                "--key",
                signingKey(),
                "--witness",
                dir.resolve("scratch.txt").toString());
        String forged = foreignNote(5, real.get("root_hash").asText());
        MerkleCommandsTest.sql(db, "UPDATE checkpoints SET note = '" + forged + "' WHERE tree_size = 5");

        JsonNode signed = Cli.json(
                db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());

        assertThat(Files.readString(witness()))
                .doesNotContain(forged)
                .contains(real.get("note").asText());
        assertThat(signed.get("note").asText()).isEqualTo(real.get("note").asText());
        JsonNode valid = Cli.json(db, "verify", "--checkpoints", witness().toString(), "--public-key", publicKey());
        assertThat(valid.get("checkpoints").get("checked").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBogusStoredCheckpointOfAHugeSizeDoesNotBlockTheNextCheckpoint(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        String note = Cli.json(
                        db,
                        "checkpoint",
                        "--key",
                        signingKey(),
                        "--witness",
                        witness().toString())
                .get("note")
                .asText();
        MerkleCommandsTest.sql(
                db,
                "INSERT INTO checkpoints (tree_size, root_hash, note, created_at) SELECT 999999, root_hash, '"
                        + note.replace("\n4\n", "\n999999\n") + "', 0 FROM checkpoints WHERE tree_size = 4");
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");

        JsonNode signed = Cli.json(
                db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());

        assertThat(signed.get("tree_size").asLong()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKeyWithTheSameNameButAnotherIdIsRefusedUntilItIsRotatedIn(StoreKind kind) {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Path other = dir.resolve("other");
        Cli.run("keygen", "--out", other.toString(), "--name", "ledger.example.com/forge");
        String otherKey = other.resolve("checkpoint.key").toString();
        Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString());
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        String before = Cli.dump(db);

        Cli.on(db, "checkpoint", "--key", otherKey, "--witness", witness().toString())
                .failed(2, "tally: failure: refusing to sign with key ledger.example.com/forge+");
        assertThat(Cli.dump(db)).isEqualTo(before);
        JsonNode rotated = Cli.json(
                db, "checkpoint", "--key", otherKey, "--witness", witness().toString(), "--rotate-key");
        Cli.on(db, "checkpoint", "--key", signingKey(), "--witness", witness().toString())
                .failed(2, "tally: failure: refusing to sign with key ledger.example.com/forge+");

        assertThat(rotated.get("tree_size").asLong()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCheckpointStoredButNeverPublishedIsPublishedByTheNextRunInOrder(StoreKind kind) throws IOException {
        String db = MerkleCommandsTest.ledgerWithEntries(kind);
        keys();
        Path scratch = dir.resolve("scratch.txt");
        // As if killed between the database and the witness file: the note is in the database only.
        String lost = Cli.json(db, "checkpoint", "--key", signingKey(), "--witness", scratch.toString())
                .get("note")
                .asText();
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");

        String newest = Cli.json(
                        db,
                        "checkpoint",
                        "--key",
                        signingKey(),
                        "--witness",
                        witness().toString())
                .get("note")
                .asText();

        String published = Files.readString(witness());
        assertThat(published).contains(lost).contains(newest);
        assertThat(published.indexOf(lost)).isLessThan(published.indexOf(newest));
        JsonNode valid = Cli.json(db, "verify", "--checkpoints", witness().toString(), "--public-key", publicKey());
        assertThat(valid.get("checkpoints").get("checked").asInt()).isEqualTo(2);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Entries #5 and #6, after the last run a key authenticated. */
    private static void twoMoreTransfers(String db) {
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        Cli.json(db, "transfer", "--from", "bob", "--to", "alice", "--amount", "1", "--currency", "EUR");
    }

    private void keys() {
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/forge");
    }

    private String signingKey() {
        return dir.resolve("checkpoint.key").toString();
    }

    private String publicKey() {
        return dir.resolve("checkpoint.pub").toString();
    }

    private String anchorKey() {
        return dir.resolve("anchor.key").toString();
    }

    private Path witness() {
        return dir.resolve("witness.txt");
    }

    /** An export of {@code db} with its checkpoint records removed, as an attacker would rewrite it. */
    private Path strippedExport(String db) throws IOException {
        Path export = dir.resolve("ledger.jsonl");
        Cli.json(db, "export", "--out", export.toString());
        List<String> kept = Files.readAllLines(export).stream()
                .filter(l -> !l.startsWith("{\"record\":\"checkpoint\""))
                .toList();
        Files.write(export, kept);
        return export;
    }

    /** A checkpoint of {@code size} entries and root {@code rootHex}, signed by another key of the same name. */
    private static String foreignNote(long size, String rootHex) {
        NoteSigner attacker = NoteSigner.fromSignerKey(
                NoteSigner.generate("ledger.example.com/forge").signerKey());
        return attacker.sign(
                new Checkpoint("ledger.example.com/forge", size, HexFormat.of().parseHex(rootHex)).body());
    }
}
