package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs the CLI in-process, as {@code main} would, with stdout and stderr captured. */
final class Cli {
    private Cli() {}

    /** What one run printed and how it ended. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
            return Views.read(out);
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** Asserts a failure: the exit code, nothing on stdout, and exactly one line on stderr starting with the prefix. */
        Run failed(int code, String linePrefix) {
            assertThat(exitCode).as("exit code; stderr: %s", err).isEqualTo(code);
            assertThat(out).as("stdout").isEmpty();
            assertThat(errLines()).as("stderr").hasSize(1);
            assertThat(errLines().get(0)).startsWith(linePrefix);
            return this;
        }
    }

    /** Runs {@code tally args...}. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TallyCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code tally args... --db db}. */
    static Run on(String db, String... args) {
        return run(Stream.concat(Arrays.stream(args), Stream.of("--db", db)).toArray(String[]::new));
    }

    /** Runs {@code tally args... --db db --json} and returns the JSON it printed. */
    static JsonNode json(String db, String... args) {
        return on(db, Stream.concat(Arrays.stream(args), Stream.of("--json")).toArray(String[]::new))
                .json();
    }

    /** A new, empty ledger made with {@code tally init}, as a user starts one: its {@code --db} value. */
    static String newLedger(StoreKind kind) {
        String db = TestStores.freshLocation(kind);
        Run init = on(db, "init");
        assertThat(init.exitCode()).as("tally init; stderr: %s", init.err()).isZero();
        return db;
    }

    /** Every row of the store at {@code db}, to prove that a failed command wrote nothing. */
    static String dump(String db) {
        try (LedgerStore store = Stores.open(db)) {
            return StoreSql.dump(store);
        }
    }
}
