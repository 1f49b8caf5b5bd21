package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file named on the command line that cannot be used is one line that names the file and says what is
 * wrong with it (exit 2): never a Java exception's name, never "internal error".
 */
class FileErrorsTest {
    @TempDir
    static Path dir;

    private static String db;
    private static Path keys;

    @BeforeAll
    static void ledgerAndKeys() {
        db = TestStores.freshSqliteFile().toString();
        Ledger.open(LedgerConfig.defaults().withLocation(db)).close();
        keys = dir.resolve("keys");
        assertThat(Cli.run("keygen", "--out", keys.toString()).exitCode()).isZero();
    }

    private static Cli.Run fails(Cli.Run run, String line) {
        run.failed(ExitCodes.USAGE, line);
        assertThat(run.err()).doesNotContain("internal error", "Exception", "java.");
        return run;
    }

    private static String publicKey() {
        return keys.resolve("checkpoint.pub").toString();
    }

    @Test
    void aMissingPublicKey() {
        Path missing = dir.resolve("nokey.pub");
        fails(
                Cli.on(db, "verify", "--public-key", missing.toString()),
                "tally: cannot read the public key " + missing + ": no such file");
    }

    @Test
    void aDirectoryGivenAsThePublicKey() {
        fails(
                Cli.on(db, "verify", "--public-key", dir.toString()),
                "tally: cannot read the public key " + dir + ": it is a directory");
    }

    @Test
    void aMissingWitnessFile() {
        Path missing = dir.resolve("witness.txt");
        fails(
                Cli.on(db, "verify", "--public-key", publicKey(), "--checkpoints", missing.toString()),
                "tally: cannot read the witness file " + missing + ": no such file");
    }

    @Test
    void aBinaryWitnessFile() throws Exception {
        byte[] noise = new byte[512];
        new Random(7).nextBytes(noise);
        Path binary = Files.write(dir.resolve("binary.txt"), noise);
        fails(
                Cli.on(db, "verify", "--public-key", publicKey(), "--checkpoints", binary.toString()),
                "tally: cannot read the checkpoints in " + binary + ": not a text file (its bytes are not UTF-8)");
    }

    @Test
    void aMissingPrivateKey() {
        Path missing = dir.resolve("nokey");
        fails(
                Cli.on(
                        db,
                        "checkpoint",
                        "--key",
                        missing.toString(),
                        "--witness",
                        dir.resolve("w.txt").toString()),
                "tally: cannot read the private key " + missing + ": no such file");
    }

    @Test
    void aWitnessFileInAMissingDirectory() {
        Path witness = dir.resolve("nodir/w.txt");
        fails(
                Cli.on(
                        db,
                        "checkpoint",
                        "--key",
                        keys.resolve("checkpoint.key").toString(),
                        "--witness",
                        witness.toString()),
                "tally: cannot write the witness file " + witness + ": no such directory " + witness.getParent());
        assertThat(witness.getParent()).doesNotExist();
    }

    @Test
    void anExportToAMissingDirectory() {
        Path out = dir.resolve("nodir/ledger.jsonl");
        fails(
                Cli.on(db, "export", "--out", out.toString()),
                "tally: cannot write the export " + out + ": no such directory " + out.getParent());
        assertThat(out.getParent()).doesNotExist();
    }

    @Test
    void anExportOntoADirectory() {
        fails(
                Cli.on(db, "export", "--out", dir.toString()),
                "tally: cannot write the export " + dir + ": it is a directory");
    }

    @Test
    void anAuditOfAMissingExport() {
        Path missing = dir.resolve("missing.jsonl");
        fails(Cli.run("audit", missing.toString()), "tally: cannot read the export " + missing + ": no such file");
    }

    @Test
    void anAuditOfADirectory() {
        fails(Cli.run("audit", dir.toString()), "tally: cannot read the export " + dir + ": it is a directory");
    }

    @Test
    void anAuditWithAMissingPublicKey() throws Exception {
        Path export = dir.resolve("for-audit.jsonl");
        assertThat(Cli.on(db, "export", "--out", export.toString()).exitCode()).isZero();
        Path missing = dir.resolve("none.pub");
        fails(
                Cli.run("audit", export.toString(), "--public-key", missing.toString()),
                "tally: cannot read the public key " + missing + ": no such file");
    }

    @Test
    void anImportOfAMissingExport() {
        Path missing = dir.resolve("missing.jsonl");
        fails(
                Cli.run(
                        "import",
                        missing.toString(),
                        "--db",
                        dir.resolve("restored.db").toString()),
                "tally: cannot read the export " + missing + ": no such file");
        assertThat(dir.resolve("restored.db")).doesNotExist();
    }
}
