package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.TilePath;
import dev.tally.store.testing.StoreKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The C2SP tlog-tiles read API: the checkpoint as a signed note, hash tiles and entry bundles at the spec's
 * paths with the spec's content types, long-lived caching for tiles and short for the checkpoint, hash tiles
 * public and entry bundles for auditors and admins by default, and nothing beyond the signed tree.
 */
class TileApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theCheckpointIsTheSignedNoteAndShortLived() throws Exception {
        try (Running s = withEntries(c -> c)) {
            SignedCheckpoint latest = latest(s);

            HttpResponse<byte[]> r = get(s, "/log/checkpoint", null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(latest.note());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("max-age=2, must-revalidate");
        }
    }

    @Test
    void hashTilesArePublicImmutableAndHoldTheSignedTreesHashes() throws Exception {
        try (Running s = withEntries(c -> c)) {
            long size = latest(s).size();
            TilePath tile = new TilePath(TilePath.Kind.HASHES, 0, 0, (int) size);

            HttpResponse<byte[]> r = get(s, "/log/" + tile.path(), null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).hasSize(32 * (int) size);
            assertThat(r.body())
                    .isEqualTo(s.server.ledger().log().tiles().read(tile).orElseThrow());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        }
    }

    @Test
    void aTileBeyondTheSignedTreeOrAPathNotSpelledAsTheSpecSaysIs404() throws Exception {
        try (Running s = withEntries(c -> c)) {
            long size = latest(s).size();
            for (String path : new String[] {
                "/log/tile/0/000.p/" + (size + 1),
                "/log/tile/0/001",
                "/log/tile/1/000",
                "/log/tile/0/0",
                "/log/tile/00/000.p/1",
                "/log/tile/0/x000/000.p/1",
                "/log/tile/0/000.p/01",
                "/log/tile/0/000.p/256",
                "/log/tile/64/000",
                "/log/tile/entries/000.p/0"
            }) {
                HttpResponse<byte[]> r = get(s, path, s.admin);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.headers().firstValue("Content-Type").orElse(""))
                        .as(path)
                        .startsWith("application/problem+json");
            }
        }
    }

    @Test
    void entryBundlesNeedAnAuditorOrAdminKeyByDefault() throws Exception {
        try (Running s = withEntries(c -> c)) {
            String path = "/log/tile/entries/000.p/" + latest(s).size();

            assertThat(get(s, path, null).statusCode()).isEqualTo(401);
            assertThat(get(s, path, s.service).statusCode()).isEqualTo(403);
            HttpResponse<byte[]> r = get(s, path, s.auditor);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
            assertThat(get(s, "/log/tile/tally-entries/000.p/1", s.admin).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void theOperatorCanCloseTheHashTilesOpenTheEntriesAndMoveThePrefix() throws Exception {
        try (Running s = withEntries(c -> c.withTransparency(
                c.transparency().withPrefix("/tlog/v2/").withPublicTiles(false).withPublicEntries(true)))) {
            assertThat(get(s, "/tlog/v2/checkpoint", null).statusCode()).isEqualTo(401);
            assertThat(get(s, "/tlog/v2/checkpoint", s.service).statusCode()).isEqualTo(200);
            assertThat(get(s, "/tlog/v2/tile/0/000.p/1", null).statusCode()).isEqualTo(401);
            assertThat(get(s, "/tlog/v2/tile/entries/000.p/1", null).statusCode())
                    .isEqualTo(200);
            assertThat(get(s, "/log/checkpoint", s.admin).statusCode()).isEqualTo(404);
        }
    }

    /** A server that signs a checkpoint every 3 entries, with at least one signed. */
    private static Running withEntries(UnaryOperator<dev.tally.server.config.ServerConfig> tune) throws Exception {
        Path dir = Files.createTempDirectory("tally-keys-");
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/tiles");
        CheckpointConfig checkpoints = new CheckpointConfig(keys.privateKey(), Optional.empty(), 3, Duration.ZERO);
        Running s = Running.start(StoreKind.SQLITE, c -> tune.apply(c.withCheckpoints(Optional.of(checkpoints))));
        String alice = s.account("alice");
        String bob = s.account("bob");
        s.mint(alice, "100.00");
        for (int i = 1; i <= 5; i++) {
            s.http.post("/v1/transfers", s.service, transfer("t" + i, alice, bob, "1.00"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // Checkpoints are signed in the background: wait for the one of all six entries.
        while (s.server
                                .ledger()
                                .log()
                                .merkleLog()
                                .latestCheckpoint()
                                .map(c -> c.size())
                                .orElse(0L)
                        < 6
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return s;
    }

    private static SignedCheckpoint latest(Running s) {
        return s.server.ledger().log().merkleLog().latestCheckpoint().orElseThrow();
    }

    private HttpResponse<byte[]> get(Running s, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
