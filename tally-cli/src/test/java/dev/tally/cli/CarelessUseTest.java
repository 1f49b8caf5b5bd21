package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.EmbeddedPostgres;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only the commands meant to create a ledger create one. Every other command, pointed at a place with no
 * ledger (a typo, an empty file, another program's file, a URL of another database), refuses with exit 2
 * and one line naming the place, and leaves it as it was: no directory, no file, no table.
 */
class CarelessUseTest {
    @TempDir
    Path dir;

    /** Commands that need an existing ledger, with the arguments that would otherwise make them work. */
    static Stream<List<String>> commandsThatNeedALedger() {
        return Stream.of(
                List.of("verify"),
                List.of("verify", "--incremental"),
                List.of("reconcile"),
                List.of("supply"),
                List.of("treasury"),
                List.of("history", "alice"),
                List.of("tx", "show", "tx-1"),
                List.of("account", "list"),
                List.of("account", "create", "--username", "alice", "--email", "alice@example.com"),
                List.of("mint", "--to", "alice", "--amount", "1.00", "--currency", "EUR"),
                List.of("ledger", "freeze", "--reason", "test"),
                List.of("proof", "consistency", "--from", "0"),
                List.of("apikey", "list"),
                List.of("apikey", "create", "--role", "admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandsThatNeedALedger")
    void aCommandOnAMissingLedgerRefusesAndCreatesNothing(List<String> command) {
        Path missing = dir.resolve("typo/dir/x.db");

        Cli.on(missing.toString(), command.toArray(String[]::new))
                .failed(
                        ExitCodes.USAGE,
                        "tally: no ledger at " + missing + ": no such file or directory ('tally init' creates one)");

        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void verifyOnATypoDoesNotReportAnEmptyLedgerAsValid() {
        Path missing = dir.resolve("typo/dir/x.db");

        Cli.Run run = Cli.on(missing.toString(), "verify").failed(ExitCodes.USAGE, "tally: no ledger at ");

        assertThat(run.err()).doesNotContain("valid");
    }

    @Test
    void anExportOfAMissingLedgerWritesNoFile() {
        Path out = dir.resolve("ledger.jsonl");

        Cli.on(dir.resolve("nope.db").toString(), "export", "--out", out.toString())
                .failed(ExitCodes.USAGE, "tally: no ledger at ");

        assertThat(out).doesNotExist();
    }

    @Test
    void anEmptyFileIsNotALedgerAndStaysEmpty() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));

        Cli.on(empty.toString(), "supply")
                .failed(ExitCodes.USAGE, "tally: no ledger at " + empty + ": the file is empty (0 bytes)");

        assertThat(Files.size(empty)).isZero();
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndKept() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "shopping list\n");

        Cli.on(notes.toString(), "verify")
                .failed(ExitCodes.USAGE, "tally: no ledger at " + notes + ": not a SQLite database");

        assertThat(Files.readString(notes)).isEqualTo("shopping list\n");
    }

    @Test
    void aDirectoryIsNotALedger() {
        Cli.on(dir.toString(), "supply").failed(ExitCodes.USAGE, "tally: no ledger at " + dir + ": it is a directory");
    }

    @Test
    void anUnknownUrlSchemeIsRefusedWithoutCreatingALookAlikePath() {
        Path cwd = Path.of("").toAbsolutePath();

        Cli.on("mysql://x/y", "supply")
                .failed(ExitCodes.USAGE, "tally: no ledger at mysql://x/y: unknown URL scheme 'mysql:'");

        assertThat(cwd.resolve("mysql:")).doesNotExist();
    }

    @Test
    void anUnknownUrlSchemeIsRefusedEvenByTheCommandsThatCreate() {
        Cli.on("mysql://x/y", "init")
                .failed(ExitCodes.USAGE, "tally: no ledger at mysql://x/y: unknown URL scheme 'mysql:'");
        assertThat(Path.of("").toAbsolutePath().resolve("mysql:")).doesNotExist();
    }

    @Test
    void aPasswordInAnUnknownUrlIsHidden() {
        Cli.Run run = Cli.on("mysql://root:s3cret@db/prod", "supply")
                .failed(ExitCodes.USAGE, "tally: no ledger at mysql://root:***@db/prod");

        assertThat(run.err()).doesNotContain("s3cret");
    }

    @Test
    void aPostgresDatabaseWithoutTallyTablesIsRefusedAndNotMigrated() throws Exception {
        String url = EmbeddedPostgres.freshDatabase();

        Cli.on(url, "verify")
                .failed(
                        ExitCodes.USAGE,
                        "tally: no ledger at " + url + ": the schema has no Tally tables ('tally init' creates one)");

        assertThat(tables(url)).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void initCreatesAnEmptyLedgerThatVerifies(StoreKind kind) {
        String db = TestStores.freshLocation(kind);

        Cli.Run init = Cli.on(db, "init");

        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).startsWith("Created a new, empty ledger at ");
        assertThat(Cli.on(db, "verify").out()).contains("All 0 transactions are valid");
    }

    @Test
    void initCreatesTheDirectoryOfANewFile() {
        Path file = dir.resolve("new/dir/ledger.db");

        assertThat(Cli.on(file.toString(), "init").exitCode()).isZero();

        assertThat(file).isRegularFile();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void initRefusesALedgerThatExistsAndLeavesItAsItWas(StoreKind kind) {
        String db = TestStores.freshLocation(kind);
        Cli.on(db, "init");
        Cli.on(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        String before = Cli.dump(db);

        Cli.on(db, "init").failed(ExitCodes.USAGE, "tally: a ledger already exists at " + db + "; nothing was changed");

        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void initRefusesAFileThatIsNotALedger() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.db"), "shopping list\n");

        Cli.on(notes.toString(), "init")
                .failed(ExitCodes.USAGE, "tally: no ledger at " + notes + ": not a SQLite database");

        assertThat(Files.readString(notes)).isEqualTo("shopping list\n");
    }

    @Test
    void initAnswersInJson() {
        Path file = dir.resolve("ledger.db");

        assertThat(Cli.json(file.toString(), "init").path("created").asBoolean())
                .isTrue();
    }

    @Test
    void theHelpSaysWhichCommandsCreateALedgerAndWhatTheExitCodesMean() {
        String help = Cli.run("--help").out();

        assertThat(help)
                .contains(
                        "init",
                        "Only init, demo, serve and import create a ledger",
                        "Exit codes:",
                        "  1  the ledger refused",
                        "not valid (tampering)",
                        "  2  the command could not run: a usage or input error");
    }

    private static int tables(String url) {
        return (int) StoreSql.queryLongAt(
                url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    }
}
