package dev.tally.ledger.merkle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the tlog-tiles tree of the newest checkpoint as static files, the same paths the server serves:
 * {@code checkpoint}, {@code tile/<L>/<N>[.p/<W>]}, {@code tile/entries/…} and {@code tile/tally-entries/…}.
 * A tile file never changes once written (its content is fixed by its path), so a re-run writes only the
 * tiles that are new and then the checkpoint, last, so that a reader never sees a checkpoint whose tiles are
 * missing. Every file is written to a temporary name and renamed into place.
 */
public final class TileExport {
    /** What one run did. */
    public record Result(long treeSize, int written, int kept) {}

    private final Tiles tiles;

    public TileExport(Tiles tiles) {
        this.tiles = tiles;
    }

    /**
     * Exports into {@code dir} (created if needed).
     *
     * @throws IllegalStateException when no checkpoint has been signed
     * @throws UncheckedIOException when a file cannot be written
     */
    public Result export(Path dir) {
        SignedCheckpoint c = tiles.checkpoint()
                .orElseThrow(
                        () -> new IllegalStateException("no checkpoint has been signed yet: run tally checkpoint"));
        long size = c.size();
        int written = 0;
        int kept = 0;
        for (TilePath t : tilesOf(size)) {
            Path file = dir.resolve(t.path());
            if (Files.exists(file)) {
                kept++;
                continue;
            }
            write(file, tiles.read(t, size).orElseThrow());
            written++;
        }
        write(dir.resolve("checkpoint"), c.note().getBytes(StandardCharsets.UTF_8));
        return new Result(size, written, kept);
    }

    /** Every tile of the tree of {@code size} entries: the full ones and the rightmost partial ones. */
    public static List<TilePath> tilesOf(long size) {
        List<TilePath> all = new ArrayList<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL && (size >>> (8 * level)) > 0; level++) {
            long hashes = size >>> (8 * level);
            long full = hashes / TilePath.FULL;
            int partial = (int) (hashes % TilePath.FULL);
            List<TilePath.Kind> kinds = level == 0
                    ? List.of(TilePath.Kind.HASHES, TilePath.Kind.ENTRIES, TilePath.Kind.CANONICAL)
                    : List.of(TilePath.Kind.HASHES);
            for (TilePath.Kind kind : kinds) {
                for (long n = 0; n < full; n++) {
                    all.add(new TilePath(kind, level, n, TilePath.FULL));
                }
                if (partial > 0) {
                    all.add(new TilePath(kind, level, full, partial));
                }
            }
        }
        return all;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", "");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
