package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code tally keygen}, {@code checkpoint}, {@code verify --checkpoints} and {@code proof}: the verifiable log from the shell. */
class MerkleCommandsTest {
    @TempDir
    Path dir;

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndRefusesToOverwriteIt() throws IOException {
        JsonNode keys =
                Views.read(Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/test", "--json")
                        .out());

        Path privateKey = Path.of(keys.get("private_key").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
                .isEqualTo("rw-------");
        assertThat(keys.get("verifier_key").asText()).startsWith("ledger.example.com/test+");
        assertThat(Files.readString(Path.of(keys.get("public_key").asText())).strip())
                .isEqualTo(keys.get("verifier_key").asText());
        Cli.run("keygen", "--out", dir.toString()).failed(2, "tally: ");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void checkpointsVerifyUntilTheNewestEntriesAreDeleted(StoreKind kind) {
        String db = ledgerWithEntries(kind);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/test");
        String key = dir.resolve("checkpoint.key").toString();
        String pub = dir.resolve("checkpoint.pub").toString();
        String witness = dir.resolve("witness.txt").toString();

        JsonNode first = Cli.json(db, "checkpoint", "--key", key, "--witness", witness);
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR");
        JsonNode second = Cli.json(db, "checkpoint", "--key", key, "--witness", witness);
        assertThat(first.get("tree_size").asLong()).isEqualTo(4);
        assertThat(second.get("tree_size").asLong()).isEqualTo(5);
        assertThat(second.get("note").asText()).startsWith("ledger.example.com/test\n5\n");

        JsonNode valid = Cli.json(db, "verify", "--checkpoints", witness, "--public-key", pub);
        assertThat(valid.get("valid").asBoolean()).isTrue();

        sql(db, "DELETE FROM ledger_entries WHERE seq = 5");
        sql(
                db,
                "UPDATE chain_head SET seq = 4, hash = (SELECT current_hash FROM ledger_entries WHERE seq = 4) WHERE id = 1");
        Cli.Run truncated = Cli.on(db, "verify", "--checkpoints", witness, "--public-key", pub, "--json");

        assertThat(truncated.exitCode()).isEqualTo(1);
        JsonNode report = Views.read(truncated.out());
        assertThat(report.get("error_type").asText()).isEqualTo("TRUNCATED");
        assertThat(report.get("signed_size").asLong()).isEqualTo(5);
        Cli.on(db, "verify", "--checkpoints", witness).failed(2, "tally: --checkpoints needs --public-key");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void proofsPrintTransparencyDevJsonThatTheOfflineCheckerAccepts(StoreKind kind) throws IOException {
        String db = ledgerWithEntries(kind);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/test");
        String pub = dir.resolve("checkpoint.pub").toString();
        Cli.json(
                db,
                "checkpoint",
                "--key",
                dir.resolve("checkpoint.key").toString(),
                "--witness",
                dir.resolve("w.txt").toString());
        String txId = Cli.json(db, "history", "alice")
                .get("entries")
                .get(0)
                .get("transaction_id")
                .asText();

        JsonNode inclusion = Cli.json(db, "proof", "inclusion", txId);
        assertThat(inclusion.fieldNames())
                .toIterable()
                .containsExactly("leafIdx", "treeSize", "root", "leafHash", "proof", "checkpoint");
        assertThat(inclusion.get("treeSize").asLong()).isEqualTo(4);
        JsonNode consistency = Cli.json(db, "proof", "consistency", "--from", "1", "--to", "4");
        assertThat(consistency.fieldNames())
                .toIterable()
                .containsExactly("size1", "size2", "root1", "root2", "proof", "checkpoint");

        Path proofFile = dir.resolve("inclusion.json");
        Files.writeString(proofFile, Cli.on(db, "proof", "inclusion", txId).out());
        Path consistencyFile = dir.resolve("consistency.json");
        Files.writeString(
                consistencyFile,
                Cli.on(db, "proof", "consistency", "--from", "2").out());

        assertThat(Cli.run("proof", "check", proofFile.toString(), "--public-key", pub)
                        .out())
                .startsWith("VALID: inclusion of leaf");
        assertThat(Cli.run("proof", "check", consistencyFile.toString()).exitCode())
                .isZero();

        Files.writeString(proofFile, Files.readString(proofFile).replace("\"treeSize\":4", "\"treeSize\":3"));
        Cli.run("proof", "check", proofFile.toString(), "--public-key", pub).failed(1, "tally: INVALID");
        Files.writeString(proofFile, "{\"leafIdx\":0} trailing");
        Cli.run("proof", "check", proofFile.toString()).failed(2, "tally: MALFORMED");
        Cli.on(db, "proof", "inclusion", "no-such-tx").failed(1, "tally: UNKNOWN_TRANSACTION");
        Cli.on(db, "proof", "consistency", "--from", "3", "--to", "99")
                .failed(ExitCodes.USAGE, "tally: VALIDATION_FAILED");
    }

    /** A ledger with alice, bob and four entries: two mints and two transfers. */
    static String ledgerWithEntries(StoreKind kind) {
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
    static void sql(String db, String statement) {
        try (LedgerStore store = Stores.open(db)) {
            StoreSql.execute(store, statement);
        }
    }
}
