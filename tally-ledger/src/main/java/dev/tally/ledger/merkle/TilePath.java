package dev.tally.ledger.merkle;

import java.util.Locale;
import java.util.Optional;

/**
 * One resource of the C2SP tlog-tiles tree, below the log's prefix: a hash tile {@code tile/<L>/<N>[.p/<W>]},
 * an entry bundle {@code tile/entries/<N>[.p/<W>]}, or Tally's bundle of canonical entry encodings
 * {@code tile/tally-entries/<N>[.p/<W>]} (docs/FORMAT.md). {@code <N>} is written in 3-digit groups, all but
 * the last prefixed with {@code x}; {@code width} is 256 for a full tile.
 */
public record TilePath(Kind kind, int level, long index, int width) {
    /** What a tile holds. */
    public enum Kind {
        /** Merkle tree hashes at level {@code level}. */
        HASHES,
        /** The log entries (leaf inputs), uint16-length-prefixed. */
        ENTRIES,
        /** The entries' canonical encodings, uint16-length-prefixed. */
        CANONICAL
    }

    /** Hashes (and entries) per full tile: 2^8, the spec's tile height. */
    public static final int FULL = 256;
    /** The highest level a tile path may name. */
    public static final int MAX_LEVEL = 63;

    public TilePath {
        if (kind != Kind.HASHES && level != 0) {
            throw new IllegalArgumentException("entry bundles are at level 0");
        }
        if (level < 0 || level > MAX_LEVEL || index < 0 || width < 1 || width > FULL) {
            throw new IllegalArgumentException("no tile " + level + "/" + index + " of width " + width);
        }
    }

    /** Whether the tile holds all 256 of its hashes or entries. */
    public boolean full() {
        return width == FULL;
    }

    /**
     * The tree size needed for this tile to exist: its last hash covers the leaves up to it. Long.MAX_VALUE
     * for a tile beyond any tree a long can count.
     */
    public long requiredTreeSize() {
        long hashes = index * FULL + width;
        int shift = 8 * level;
        return shift >= 63 || hashes > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : hashes << shift;
    }

    /** The path below the prefix, e.g. {@code tile/0/x001/x234/067.p/5}. */
    public String path() {
        String dir = switch (kind) {
            case HASHES -> "tile/" + level + "/";
            case ENTRIES -> "tile/entries/";
            case CANONICAL -> "tile/tally-entries/";
        };
        return dir + encodeIndex(index) + (full() ? "" : ".p/" + width);
    }

    /** {@code 1234067} as {@code x001/x234/067}. */
    static String encodeIndex(long n) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%03d", n % 1000));
        for (long rest = n / 1000; rest > 0; rest /= 1000) {
            s.insert(0, String.format(Locale.ROOT, "x%03d/", rest % 1000));
        }
        return s.toString();
    }

    /** Parses a path below the prefix; empty for anything that is not exactly a tile path as the spec writes it. */
    public static Optional<TilePath> parse(String path) {
        if (!path.startsWith("tile/")) {
            return Optional.empty();
        }
        String[] parts = path.substring("tile/".length()).split("/", -1);
        if (parts.length < 2) {
            return Optional.empty();
        }
        Kind kind;
        int level = 0;
        switch (parts[0]) {
            case "entries" -> kind = Kind.ENTRIES;
            case "tally-entries" -> kind = Kind.CANONICAL;
            default -> {
                kind = Kind.HASHES;
                Optional<Long> l = decimal(parts[0], 2);
                if (l.isEmpty() || l.get() > MAX_LEVEL) {
                    return Optional.empty();
                }
                level = l.get().intValue();
            }
        }
        int end = parts.length;
        int width = FULL;
        if (end >= 3 && parts[end - 2].endsWith(".p")) {
            Optional<Long> w = decimal(parts[end - 1], 3);
            if (w.isEmpty() || w.get() < 1 || w.get() >= FULL) {
                return Optional.empty();
            }
            width = w.get().intValue();
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        long index = 0;
        for (int i = 1; i < end; i++) {
            String group = parts[i];
            boolean last = i == end - 1;
            if (!last) {
                if (!group.startsWith("x")) {
                    return Optional.empty();
                }
                group = group.substring(1);
            }
            if (group.length() != 3 || !group.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            if (index > (Long.MAX_VALUE - 999) / 1000) {
                return Optional.empty();
            }
            index = index * 1000 + Integer.parseInt(group);
        }
        if (index > (Long.MAX_VALUE >> 16)) {
            return Optional.empty();
        }
        TilePath t = new TilePath(kind, level, index, width);
        // One spelling per tile: "x000/001" names tile 1 but is not how the spec writes it.
        return t.path().equals(path) ? Optional.of(t) : Optional.empty();
    }

    /** A decimal without leading zeros, of at most {@code digits} digits. */
    private static Optional<Long> decimal(String s, int digits) {
        if (s.isEmpty() || s.length() > digits || (s.length() > 1 && s.charAt(0) == '0')) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(s));
    }
}
