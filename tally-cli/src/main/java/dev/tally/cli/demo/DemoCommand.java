package dev.tally.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.text.ProgressBar;
import dev.tally.ledger.Ledger;
import dev.tally.store.OpenMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally demo}: builds a small economy in a fresh SQLite file and narrates what the ledger does
 * (see {@link Demo}). It never touches an existing ledger: {@code --db} must name a new or empty file, and
 * without it each run gets its own {@code ./tally-data/demo-<timestamp>.db}. {@code $TALLY_DB_URL} is
 * ignored here for the same reason.
 */
@Command(
        name = "demo",
        description = "Build a small economy in a fresh SQLite file and show what the ledger does.",
        sortOptions = false,
        footer = {
            "",
            "For the demo, --db must name a new or empty SQLite file; without it each run gets its own"
                    + " tally-data/demo-<timestamp>.db ($TALLY_DB_URL is ignored)."
        })
public final class DemoCommand extends LedgerCommand {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    @Option(
            names = "--transfers",
            paramLabel = "N",
            defaultValue = "3000",
            order = 10,
            description = "How many payments the clients send (default: ${DEFAULT-VALUE}).")
    int transfers;

    @Option(
            names = "--clients",
            paramLabel = "N",
            defaultValue = "8",
            order = 11,
            description = "How many concurrent client threads send them (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            order = 12,
            description = "Seed of the random payments (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Chosen by {@link #location()}, which the command's template calls before {@link #run(Ledger)}. */
    @SuppressWarnings("NullAway.Init")
    private Path file;

    /** A fresh SQLite file: the one given if it is new or empty, else a new timestamped one. */
    @Override
    protected String location() {
        if (transfers < 1 || transfers > 1_000_000) {
            throw CliException.usage("--transfers must be between 1 and 1000000");
        }
        if (clients < 1 || clients > 64) {
            throw CliException.usage("--clients must be between 1 and 64");
        }
        file = options()
                .explicitLocation()
                .map(DemoCommand::sqliteFile)
                .orElseGet(() -> Path.of(
                        "tally-data",
                        "demo-" + LocalDateTime.now(ZoneId.systemDefault()).format(STAMP) + ".db"));
        if (isNonEmpty(file)) {
            throw CliException.usage(
                    file + " already exists; the demo builds a fresh ledger, so give a new file (or omit --db)");
        }
        return file.toString();
    }

    /** The demo builds its own fresh ledger (see {@link #location()}). */
    @Override
    protected OpenMode openMode() {
        return OpenMode.CREATE;
    }

    @Override
    protected int run(Ledger ledger) throws Exception {
        Demo demo = new Demo(
                ledger,
                transfers,
                clients,
                seed,
                json() ? line -> {} : this::print,
                (total, done) -> ProgressBar.start(err(), "payments", total, done));
        ObjectNode summary = demo.run();
        summary.put("db", file.toAbsolutePath().toString());
        if (json()) {
            printJson(summary);
        } else {
            print(Demo.render(summary));
            print("\nThe ledger is in " + file + "; look around with e.g. 'tally history alice --db " + file + "'.");
        }
        return ExitCodes.OK;
    }

    private static Path sqliteFile(String location) {
        if (location.startsWith("jdbc:postgresql:")
                || location.startsWith("postgresql://")
                || location.startsWith("postgres://")) {
            throw CliException.usage("the demo runs on a fresh SQLite file; give --db a file path");
        }
        String path = location.startsWith("jdbc:sqlite:") ? location.substring("jdbc:sqlite:".length()) : location;
        int query = path.indexOf('?');
        return Path.of(query >= 0 ? path.substring(0, query) : path);
    }

    private static boolean isNonEmpty(Path file) {
        try {
            return Files.exists(file) && (Files.isDirectory(file) || Files.size(file) > 0);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
