package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.testing.StoreSql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees on the real stderr of a {@code tally} process, where the libraries' loggers write too:
 * one line per failure, never a logged stack trace, unless {@code TALLY_DEBUG} asks for it.
 */
class ProcessStderrTest {
    @TempDir
    Path dir;

    /** How one {@code tally} process ended. */
    record Exit(int code, String out, List<String> errLines) {}

    @Test
    void aWriteTheDatabaseRefusesIsOneLineWithoutAStackTrace() throws Exception {
        String db = refusingLedger();

        Exit exit =
                tally(Map.of(), "account", "create", "--username", "alice", "--email", "alice@example.com", "--db", db);

        assertThat(exit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(exit.errLines()).hasSize(1);
        assertThat(exit.errLines().get(0))
                .startsWith("tally: store failure: commit failed on ")
                .contains("no such table: main.gone");
    }

    @Test
    void withTallyDebugTheStackTraceIsThereAfterAll() throws Exception {
        String db = refusingLedger();

        Exit exit = tally(
                Map.of("TALLY_DEBUG", "1"),
                "account",
                "create",
                "--username",
                "alice",
                "--email",
                "alice@example.com",
                "--db",
                db);

        assertThat(exit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(exit.errLines()).hasSizeGreaterThan(1).anyMatch(l -> l.startsWith("tally: store failure: "));
    }

    @Test
    void anUnreachableDatabaseServerIsOneLine() throws Exception {
        Exit exit = tally(Map.of(), "supply", "--db", "postgresql://tally:s3cret@127.0.0.1:1/tally");

        assertThat(exit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(exit.errLines()).hasSize(1);
        assertThat(exit.errLines().get(0))
                .startsWith("tally: cannot open the ledger at postgresql://tally:***@127.0.0.1:1/tally");
    }

    @Test
    void aMissingLedgerIsOneLine() throws Exception {
        Path missing = dir.resolve("typo/x.db");

        Exit exit = tally(Map.of(), "verify", "--db", missing.toString());

        assertThat(exit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(exit.out()).isEmpty();
        assertThat(exit.errLines())
                .containsExactly(
                        "tally: no ledger at " + missing + ": no such file or directory ('tally init' creates one)");
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void aReadOnlyLedgerFileIsOneLine() throws Exception {
        Path file = dir.resolve("ledger.db");
        Ledger.open(LedgerConfig.defaults().withLocation(file.toString())).close();
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.isWritable(file), "the superuser may write a read-only file");

        Exit exit = tally(
                Map.of(),
                "account",
                "create",
                "--username",
                "alice",
                "--email",
                "alice@example.com",
                "--db",
                file.toString());

        assertThat(exit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(exit.errLines()).hasSize(1);
    }

    /**
     * A ledger whose database fails every new account inside the writer's commit, as a read-only file or a
     * full disk would (those cannot be made by a test that may run as the superuser): a trigger writes to a
     * table that is gone.
     */
    private String refusingLedger() {
        Path file = dir.resolve("refusing.db");
        Ledger.open(LedgerConfig.defaults().withLocation(file.toString())).close();
        StoreSql.executeAt(
                "jdbc:sqlite:" + file,
                "CREATE TABLE gone (x INTEGER)",
                "CREATE TRIGGER refuse BEFORE INSERT ON accounts BEGIN INSERT INTO gone VALUES (1); END",
                "DROP TABLE gone");
        return file.toString();
    }

    /** Runs {@code tally args...} in a new JVM, as ./tally does, with extra environment variables. */
    private Exit tally(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                TallyCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("TALLY_DEBUG");
        pb.environment().remove("TALLY_DB_URL");
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("tally finished").isTrue();
        return new Exit(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }
}
