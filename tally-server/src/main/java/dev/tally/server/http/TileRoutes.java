package dev.tally.server.http;

import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.merkle.TilePath;
import dev.tally.server.config.TransparencyConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The C2SP tlog-tiles read API under the configured prefix: the newest checkpoint (the signed note with
 * every cosignature collected), hash tiles, and entry bundles (docs/FORMAT.md). A tile's content never
 * changes once served, so it may be cached for a year; the checkpoint only for a few seconds.
 */
public final class TileRoutes {
    /** What a tile answer may be cached for: immutable, a year. */
    static final String TILE_CACHE = "max-age=31536000, immutable";
    /** The checkpoint changes with every new checkpoint: clients and caches keep it a few seconds at most. */
    static final String CHECKPOINT_CACHE = "max-age=2, must-revalidate";

    private TileRoutes() {}

    /** The routes; entry bundles come before the hash tiles, whose {@code {level}} would also match "entries". */
    public static List<Route> routes(TransparencyConfig config) {
        String p = config.prefix();
        Access tiles = config.publicTiles() ? Access.PUBLIC : Access.READ;
        Access entries = config.publicEntries() ? Access.PUBLIC : Access.AUDIT;
        return List.of(
                new Route(
                        "GET",
                        p + "checkpoint",
                        tiles,
                        "The newest checkpoint (C2SP tlog-tiles)",
                        TileRoutes::checkpoint),
                new Route(
                        "GET",
                        p + "tile/entries/<index>",
                        entries,
                        "An entry bundle: the leaf inputs (C2SP tlog-tiles)",
                        c -> tile(c, "tile/entries/" + c.path("index"), entries)),
                new Route(
                        "GET",
                        p + "tile/tally-entries/<index>",
                        entries,
                        "A bundle of the entries' canonical encodings",
                        c -> tile(c, "tile/tally-entries/" + c.path("index"), entries)),
                new Route(
                        "GET",
                        p + "tile/{level}/<index>",
                        tiles,
                        "A hash tile (C2SP tlog-tiles)",
                        c -> tile(c, "tile/" + c.path("level") + "/" + c.path("index"), tiles)));
    }

    private static void checkpoint(Call call) {
        SignedCheckpoint c = call.ledger()
                .log()
                .tiles()
                .checkpoint()
                .orElseThrow(() -> ApiException.of(ApiCode.NOT_FOUND, "no checkpoint has been signed yet"));
        call.responseHeader("Cache-Control", CHECKPOINT_CACHE);
        call.bytes(200, "text/plain; charset=utf-8", c.note().getBytes(StandardCharsets.UTF_8));
    }

    private static void tile(Call call, String path, Access access) {
        TilePath tile = TilePath.parse(path)
                .orElseThrow(() -> ApiException.of(ApiCode.NOT_FOUND, "not a tile path: " + clip(path)));
        byte[] bytes = call.ledger()
                .log()
                .tiles()
                .read(tile)
                .orElseThrow(() -> ApiException.of(
                        ApiCode.NOT_FOUND, "the newest checkpoint's tree does not hold " + tile.path()));
        // A keyed answer must not land in a shared cache that would hand it to callers without the key.
        call.responseHeader("Cache-Control", (access.open() ? "public, " : "private, ") + TILE_CACHE);
        call.bytes(200, "application/octet-stream", bytes);
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
