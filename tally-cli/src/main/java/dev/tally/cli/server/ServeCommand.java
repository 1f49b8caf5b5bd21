package dev.tally.cli.server;

import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.Failures;
import dev.tally.server.TallyServer;
import dev.tally.server.config.ConfigLoader;
import dev.tally.server.config.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally serve}: runs the HTTP JSON API until the process is stopped (Ctrl-C or SIGTERM), then stops
 * gracefully: no new requests, the ones in flight answered, the sequencer drained, the store closed.
 * Settings come from {@code --config} (YAML), then {@code TALLY_*} environment variables, then these flags.
 */
@Command(name = "serve", description = "Run the HTTP JSON API (see docs/HTTP.md) until stopped.")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--db",
            paramLabel = "DB",
            description = "The store (file path or PostgreSQL URL). Overrides $TALLY_DB_URL and the config file.")
    String db;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "The port to listen on (default 8080; 0 picks a free one). Overrides $TALLY_PORT.")
    Integer port;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "The address to listen on (default 0.0.0.0). Overrides $TALLY_HOST.")
    String host;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A YAML configuration file (limits, trusted proxies, audit schedule, webhooks...).")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TallyServer server;
        try {
            ServerConfig c = ConfigLoader.load(Optional.ofNullable(config), System.getenv());
            if (db != null && !db.isBlank()) {
                c = c.withDb(db);
            }
            if (port != null) {
                c = c.withPort(port);
            }
            if (host != null && !host.isBlank()) {
                c = c.withHost(host);
            }
            server = TallyServer.start(c);
        } catch (IllegalArgumentException e) {
            return Failures.report(
                    err, new CliException(ExitCodes.USAGE, "cannot serve: " + Failures.oneLine(e.getMessage()), e));
        } catch (RuntimeException e) {
            return Failures.report(
                    err, new CliException(ExitCodes.USAGE, "cannot serve: " + Failures.oneLine(e.getMessage()), e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            err.println("tally: stopping: finishing requests in flight, draining the sequencer...");
                            err.flush();
                            server.stop();
                            err.println("tally: stopped");
                            err.flush();
                            stopped.countDown();
                        },
                        "tally-serve-shutdown"));
        out.println("tally: serving " + server.ledger().describe().replaceAll("password=[^&]*", "password=***")
                + " on http://" + server.config().host() + ":" + server.port() + " (Ctrl-C stops gracefully)");
        server.bootstrapKey().ifPresent(key -> {
            out.println("tally: no admin key existed, so this one was created. It is shown only now; keep it safe:");
            out.println();
            out.println("    " + key);
            out.println();
            out.println(
                    "tally: use it as 'Authorization: Bearer KEY'; create narrower keys with 'tally apikey create --role service'.");
        });
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
        }
        return ExitCodes.OK;
    }
}
