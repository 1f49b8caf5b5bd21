package dev.tally.cli.transparency;

import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.Failures;
import dev.tally.ledger.witness.Witness;
import dev.tally.ledger.witness.WitnessServer;
import dev.tally.ledger.witness.WitnessStore;
import dev.tally.verify.CosignatureSigner;
import dev.tally.verify.NoteVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally witness serve}: a C2SP tlog-witness for the logs listed in a file. */
@Command(
        name = "witness",
        description = "Run a C2SP tlog-witness that cosigns other logs' checkpoints.",
        subcommands = {WitnessCommand.Serve.class})
public final class WitnessCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a witness command is required (see 'tally witness --help')");
    }

    /** {@code tally witness serve --key FILE --port N --logs FILE [--store DIR] [--host H]}. */
    @Command(
            name = "serve",
            description = {
                "Serve POST /add-checkpoint and GET /<origin hash>/checkpoint until stopped.",
                "Its cosigner key (a vkey of type 0x04, for the logs' and verifiers' configuration) is printed at start."
            })
    public static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--key",
                paramLabel = "FILE",
                required = true,
                description = "The witness's private key (tally keygen --name <witness name>).")
        Path key;

        @Option(names = "--port", paramLabel = "PORT", required = true, description = "The port (0: any free one).")
        int port;

        @Option(
                names = "--logs",
                paramLabel = "FILE",
                required = true,
                description = "The logs to witness: one 'log <vkey>' line each (tlog-policy syntax), # comments.")
        Path logs;

        @Option(
                names = "--store",
                paramLabel = "DIR",
                description = "Where the witness keeps its checkpoints and evidence (default: witness-store).")
        Path store = Path.of("witness-store");

        @Option(names = "--host", paramLabel = "HOST", description = "The address to listen on (default 127.0.0.1).")
        String host = "127.0.0.1";

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WitnessServer server;
            CosignatureSigner signer;
            try {
                signer = CosignatureSigner.fromSignerKey(Files.readString(key));
                Witness witness = new Witness(readLogs(logs), signer, new WitnessStore(store), Clock.systemUTC());
                server = WitnessServer.start(witness, host, port);
            } catch (IOException | RuntimeException e) {
                return Failures.report(
                        err,
                        new CliException(
                                ExitCodes.USAGE, "cannot serve the witness: " + Failures.oneLine(e.getMessage()), e));
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.close();
                                stopped.countDown();
                            },
                            "tally-witness-shutdown"));
            out.println(
                    "tally: witness " + signer.verifier().verifierKey() + " on http://" + host + ":" + server.port());
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
            }
            return ExitCodes.OK;
        }

        static List<NoteVerifier> readLogs(Path file) throws IOException {
            List<NoteVerifier> logs = new ArrayList<>();
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("[ \t]+");
                if (f.length < 2 || f.length > 3 || !f[0].equals("log")) {
                    throw new IllegalArgumentException(file + ": expected 'log <vkey> [<url>]', got: " + line);
                }
                logs.add(NoteVerifier.fromVerifierKey(f[1]));
            }
            if (logs.isEmpty()) {
                throw new IllegalArgumentException(file + " lists no log");
            }
            return logs;
        }
    }
}
