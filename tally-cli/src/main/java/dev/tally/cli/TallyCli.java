package dev.tally.cli;

import dev.tally.cli.demo.DemoCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code tally} command: the entry point of the runnable jar that {@code ./tally} starts.
 *
 * <p>Build it with {@link #commandLine()}, not {@code new CommandLine(new TallyCli())}: the factory installs
 * the one-line error handlers (exit 1 for a command the ledger refused or a ledger found not valid, 2 for
 * usage, input and infrastructure failures, see {@link ExitCodes}) and case-insensitive enum values
 * ({@code --role admin}). Commands that extend {@link LedgerCommand} map their own failures either way.
 */
@Command(
        name = "tally",
        description = "A durable, tamper-evident, multi-currency economy ledger.",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = TallyCli.Version.class,
        sortOptions = false,
        footer = {
            "",
            "Only init, demo, serve and import create a ledger. Every other command needs",
            "an existing one at --db, and refuses a missing ledger, an empty or foreign",
            "file, or an unknown URL scheme (exit 2).",
            "",
            "Exit codes:",
            "  0  done; for verify, reconcile, audit and proof check: valid",
            "  1  the ledger refused the command (a code such as INSUFFICIENT_FUNDS);",
            "     for verify, reconcile, audit and proof check: not valid (tampering)",
            "  2  the command could not run: a usage or input error (an option, a value,",
            "     an unreadable file, no ledger at --db) or a store failure",
            "A failure prints one line on stderr; TALLY_DEBUG=1 adds the stack trace."
        },
        subcommands = {
            // One class per line, please: other commands (verify, reconcile, serve, keygen, checkpoint,
            // proof, export, audit, import, apikey) are added here by their authors, one line each. The bench
            // suites are not in this jar: tally-bench's jar adds them (see commandLine(Object...)).
            CommandLine.HelpCommand.class,
            InitCommand.class,
            DemoCommand.class,
            AccountCommand.class,
            MintCommand.class,
            BurnCommand.class,
            TransferCommand.class,
            ReverseCommand.class,
            PostCommand.class,
            VoidCommand.class,
            PendingCommand.class,
            ExchangeCommand.class,
            HistoryCommand.class,
            TxCommand.class,
            TreasuryCommand.class,
            SupplyCommand.class,
            LedgerControlCommand.class,
            dev.tally.cli.audit.VerifyCommand.class,
            dev.tally.cli.audit.ReconcileCommand.class,
            dev.tally.cli.merkle.KeygenCommand.class,
            dev.tally.cli.merkle.CheckpointCommand.class,
            dev.tally.cli.merkle.ProofCommand.class,
            dev.tally.cli.export.ExportCommand.class,
            dev.tally.cli.export.AuditCommand.class,
            dev.tally.cli.export.ImportCommand.class,
            dev.tally.cli.archive.ArchiveCommand.class,
            dev.tally.cli.server.ServeCommand.class,
            dev.tally.cli.server.ApiKeyCommand.class,
            dev.tally.cli.transparency.TilesCommand.class,
            dev.tally.cli.transparency.ReceiptCommand.class,
            dev.tally.cli.transparency.WitnessCommand.class,
            dev.tally.cli.fraud.FraudCommand.class,
        })
public final class TallyCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --db} and {@code --json} may also come before the command name; see {@link #options()}. */
    @CommandLine.Mixin
    CommonOptions common;

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        quietLibraryLogs(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * A command's failure is its one line on stderr, so the libraries' own logs (a sequencer, pool or
     * migration error with its stack trace) are switched off, except for {@code tally serve}, whose log is
     * the operator's record, and with {@code TALLY_DEBUG} set. slf4j-simple reads these properties once,
     * when the first logger is made, which is after this.
     */
    static void quietLibraryLogs(String[] args) {
        if (System.getenv("TALLY_DEBUG") != null || serving(args)) {
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "off");
    }

    /** Whether the arguments run {@code tally serve}. */
    private static boolean serving(String[] args) {
        try {
            CommandLine.ParseResult parsed = commandLine().parseArgs(args);
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            return parsed.commandSpec().userObject() instanceof dev.tally.cli.server.ServeCommand
                    || parsed.commandSpec().userObject() instanceof dev.tally.cli.transparency.WitnessCommand.Serve;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }

    /** The configured command line: one-line errors, exit codes of {@link ExitCodes}, case-insensitive enums. */
    public static CommandLine commandLine() {
        return commandLine(new Object[0]);
    }

    /**
     * The configured command line with more commands beside the built-in ones, configured alike: the bench
     * jar adds {@code tally bench} this way, so that the production jar carries no benchmark code.
     */
    public static CommandLine commandLine(Object... moreCommands) {
        CommandLine cli = new CommandLine(new TallyCli());
        for (Object command : moreCommands) {
            cli.addSubcommand(command);
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(TallyCli::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> Failures.report(commandLine.getErr(), e));
        return cli;
    }

    /** The common options given before the command name. */
    public CommonOptions options() {
        return common;
    }

    /** A bare {@code tally} is a usage error: show what there is to run. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see 'tally --help')");
    }

    /** Prints picocli's parse error as the one line every failure gets, with a pointer to the help. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        String message = Failures.oneLine(e.getMessage());
        String help = "'" + failed.getCommandSpec().qualifiedName() + " --help'";
        err.println("tally: " + message + (message.contains("--help") ? "" : " (see " + help + ")"));
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The version, from the build (version.properties is filtered by Maven). */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = TallyCli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "tally " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
