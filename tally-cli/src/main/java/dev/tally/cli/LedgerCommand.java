package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.TimeOrderedIds;
import dev.tally.core.text.SafeText;
import dev.tally.json.Reports;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.LedgerReads;
import dev.tally.ledger.ReadReplica;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.store.NoLedgerException;
import dev.tally.store.OpenMode;
import dev.tally.store.StoreOptions;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every command that works on a ledger: it takes the {@link CommonOptions}, opens the ledger,
 * runs the command, closes the ledger, and turns any failure into one line on stderr and an exit code
 * (see {@link Failures}). A subclass only validates its input, acts, and prints.
 *
 * <p>The ledger must already exist ({@link OpenMode#EXISTING}): only the commands that are meant to create
 * one ({@code init}, {@code demo}) override {@link #openMode()}, so a mistyped {@code --db} is refused
 * instead of becoming a new, empty ledger.
 */
public abstract class LedgerCommand implements Callable<Integer> {
    @Mixin
    private CommonOptions common;

    @Spec
    protected CommandSpec spec;

    private Optional<ReadReplica> readReplica = Optional.empty();

    /** Does the work on an open ledger; returns the exit code. */
    protected abstract int run(Ledger ledger) throws Exception;

    /**
     * Checks the command's options and the files it names before the ledger is opened, so that a mistake in
     * them is reported as such (exit 2) whatever the state of the ledger. Nothing by default.
     */
    protected void validate() {}

    @Override
    public final Integer call() {
        try {
            validate();
            try (Ledger ledger = open(location());
                    ReadReplica replica = replicaConfig()
                            .map(c -> ReadReplica.of(ledger, c))
                            .orElseGet(() -> ReadReplica.none(ledger))) {
                this.readReplica = Optional.of(replica);
                return run(ledger);
            } finally {
                this.readReplica = Optional.empty();
            }
        } catch (Exception | AssertionError e) {
            return Failures.report(err(), e);
        }
    }

    /** The common options: those after the command name, else those before it. */
    protected CommonOptions options() {
        return spec.root().userObject() instanceof TallyCli root ? common.orElse(root.options()) : common;
    }

    /**
     * The read replica a command that only reads was given ({@link ReplicaOptions}); none by default, and never
     * for a command that writes.
     */
    protected Optional<ReplicaConfig> replicaConfig() {
        return Optional.empty();
    }

    /**
     * Where this command reads: the replica when one is given and can serve, else the primary. A fallback to the
     * primary is a warning on stderr (and in the report, {@link #withReadFrom}); a replica that cannot serve under
     * {@code --replica-fallback fail} is a failure (exit 2). Call it once per run.
     */
    protected ReadView readSide(Ledger ledger) {
        ReadView view = readReplica.orElseGet(() -> ReadReplica.none(ledger)).view();
        view.from().warning().ifPresent(w -> {
            err().println("tally: warning: " + SafeText.escape(w));
            err().flush();
        });
        return view;
    }

    /**
     * A JSON report with where it was read from ({@code read_from}, {@code replica_lag}, {@code warning}) added,
     * when a replica was given; unchanged otherwise, so reports without one keep their shape.
     */
    protected JsonNode withReadFrom(JsonNode report, ReadView view) {
        if (replicaConfig().isPresent() && report instanceof ObjectNode o) {
            o.setAll((ObjectNode) Reports.tree(view.from().toMap()));
        }
        return report;
    }

    /** A line for people saying where a report was read from, when a replica was given; empty otherwise. */
    protected String readFromLine(ReadView view) {
        return replicaConfig().isPresent() ? "\n   " + view.from().describe() : "";
    }

    /** Where this command's ledger is; {@link CommonOptions#location()} unless a command knows better. */
    protected String location() {
        return options().location();
    }

    /** Whether this command may create the ledger when there is none; only a command meant to create one may. */
    protected OpenMode openMode() {
        return OpenMode.EXISTING;
    }

    /** Opens the ledger; a store that cannot be opened is an infrastructure failure (exit 2), not a rejection. */
    protected Ledger open(String location) {
        try {
            return openIn(location, openMode());
        } catch (NoLedgerException e) {
            throw noLedger(location, e);
        } catch (RuntimeException e) {
            throw cannotOpen(location, e);
        }
    }

    /** Opens the ledger at {@code location} in {@code mode}; failures as the store reports them. */
    protected static Ledger openIn(String location, OpenMode mode) {
        return Ledger.open(LedgerConfig.defaults()
                .withLocation(location)
                .withStoreOptions(StoreOptions.DEFAULTS.withOpenMode(mode)));
    }

    /**
     * {@code ledger} (open at {@code location}), or the same ledger opened again knowing, besides the default
     * currencies, every currency its entries were written in (with its recorded scale): for commands that
     * name two currencies, such as an exchange, on a ledger whose other currencies a server's configuration
     * enabled.
     */
    protected Ledger withRecordedCurrencies(Ledger ledger, String location) {
        java.util.List<dev.tally.core.money.Currency> all = new java.util.ArrayList<>();
        ledger.rules().currencies().all().forEach(all::add);
        for (dev.tally.core.money.Currency c : ledger.reads().recordedCurrencies()) {
            if (ledger.rules().currencies().find(c.code()).isEmpty()) {
                all.add(c);
            }
        }
        if (all.size() == ledger.rules().currencies().all().size()) {
            return ledger;
        }
        ledger.close();
        try {
            return Ledger.open(LedgerConfig.defaults()
                    .withLocation(location)
                    .withRules(dev.tally.core.engine.Rules.defaults()
                            .withCurrencies(dev.tally.core.money.Currencies.of(all)))
                    .withStoreOptions(StoreOptions.DEFAULTS.withOpenMode(openMode())));
        } catch (RuntimeException e) {
            throw cannotOpen(location, e);
        }
    }

    /** "No ledger at LOCATION: why", with a pointer to {@code tally init} when one could be created there (exit 2). */
    public static CliException noLedger(String location, NoLedgerException e) {
        return new CliException(
                ExitCodes.USAGE,
                "no ledger at " + redact(location) + ": " + Failures.oneLine(e.reason())
                        + (e.creatable() ? " ('tally init' creates one)" : ""),
                e);
    }

    /** A store that exists but could not be opened: unreachable, locked, read-only... (exit 2). */
    public static CliException cannotOpen(String location, RuntimeException e) {
        return new CliException(
                ExitCodes.USAGE,
                "cannot open the ledger at " + redact(location) + ": " + Failures.oneLine(e.getMessage()),
                e);
    }

    /** A location fit to print: a password in a URL's user info or query becomes {@code ***}. */
    public static String redact(String location) {
        return location.replaceAll("(://[^/:@]*:)[^/@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean json() {
        return options().json();
    }

    /**
     * Prints a JSON document (pretty, newline-terminated) on stdout, with every control and formatting
     * character in it escaped ({@link SafeText#escapeJson}): the same JSON, and nothing a terminal acts on.
     */
    protected void printJson(JsonNode node) {
        out().println(SafeText.escapeJson(Views.write(node)));
        out().flush();
    }

    /**
     * Prints text on stdout. A ledger may hold text written before control characters were refused (or
     * written behind Tally's back), so every control and formatting character but a line feed is printed
     * as an escape ({@link SafeText#escape}) and never reaches the terminal raw.
     */
    protected void print(String text) {
        out().println(SafeText.escape(text));
        out().flush();
    }

    /** Who and what is acting: {@code cli:<OS user>}, with this CLI as the user agent. */
    protected static EntryContext context() {
        return Actors.cliContext();
    }

    /**
     * A client transaction id: the one given, else a fresh time-ordered UUID (made later, it sorts later, so
     * the idempotency index grows at its end).
     */
    protected static String transactionId(Optional<String> given) {
        return given.orElseGet(() -> TimeOrderedIds.next().toString());
    }

    /** The account named by id or username; UNKNOWN_ACCOUNT when there is none. */
    protected static Account account(Ledger ledger, String idOrUsername) {
        return account(ledger.reads(), idOrUsername);
    }

    /** The account named by id or username, as {@code reads} see it; UNKNOWN_ACCOUNT when there is none. */
    protected static Account account(LedgerReads reads, String idOrUsername) {
        return reads.findAccount(idOrUsername)
                .orElseThrow(() -> new RejectedException(
                        Rejection.of(RejectionCode.UNKNOWN_ACCOUNT, "no account " + idOrUsername)));
    }
}
