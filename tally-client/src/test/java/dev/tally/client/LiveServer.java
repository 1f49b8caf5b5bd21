package dev.tally.client;

import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.server.TallyServer;
import dev.tally.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real {@code tally serve} on a loopback port over a new SQLite ledger, signing a checkpoint after every entry
 * with a fresh key whose verifier key the tests pin.
 */
final class LiveServer implements AutoCloseable {
    static final String ADMIN_KEY = "client-test-admin-key-0123456789";
    final TallyServer server;
    final String verifierKey;

    private LiveServer(TallyServer server, String verifierKey) {
        this.server = server;
        this.verifierKey = verifierKey;
    }

    static LiveServer start() {
        return start(c -> c);
    }

    /** The same server with its configuration changed by {@code adjust} (a fraud policy, say). */
    static LiveServer start(java.util.function.UnaryOperator<ServerConfig> adjust) {
        try {
            Path dir = Files.createTempDirectory("tally-client-");
            SignerKeys.Written keys = SignerKeys.generate(dir.resolve("keys"), "tally.example/client-test");
            ServerConfig config = ServerConfig.defaults()
                    .withDb(dir.resolve("tally.db").toString())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withAdminKey(Optional.of(ADMIN_KEY))
                    .withAudit(ServerConfig.defaults().audit().withEnabled(false))
                    .withCheckpoints(
                            Optional.of(new CheckpointConfig(keys.privateKey(), Optional.empty(), 1, Duration.ZERO)));
            return new LiveServer(TallyServer.start(adjust.apply(config)), keys.verifierKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return uri(server.port());
    }

    static URI uri(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    TallyClient admin() {
        return TallyClient.builder(uri(), ADMIN_KEY).build();
    }

    @Override
    public void close() {
        server.stop();
    }
}
