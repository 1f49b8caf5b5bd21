package dev.tally.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint): origin line, tree size in canonical decimal,
 * base64 RFC 9162 root hash, optional extension lines, each line ending in a newline. This is the text
 * a {@link NoteSigner} signs; the record itself carries no signature.
 *
 * @param origin         unique log identity; non-empty, one line
 * @param size           number of leaves, ≥ 0
 * @param rootHash       32-byte root hash of the first {@code size} leaves
 * @param extensionLines opaque extra lines, each non-empty (use is NOT RECOMMENDED by the spec)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensionLines) {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]*");

    /**
     * Validates and copies the parts.
     *
     * @throws ProofException MALFORMED for an empty or multi-line origin or extension line, a root that is
     *                        not 32 bytes; OUT_OF_RANGE for a negative size
     */
    public Checkpoint {
        checkLine(origin, "origin");
        if (size < 0) {
            throw ProofException.outOfRange("checkpoint size %d is negative", size);
        }
        rootHash = Hashes.requireHash(rootHash, "checkpoint root hash").clone();
        extensionLines = List.copyOf(extensionLines);
        for (String line : extensionLines) {
            checkLine(line, "extension line");
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** A copy of the 32-byte root hash. */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: {@code origin\nsize\nbase64(root)\n} followed by each extension line and a newline. */
    public String body() {
        StringBuilder sb = new StringBuilder()
                .append(origin)
                .append('\n')
                .append(size)
                .append('\n')
                .append(Hashes.toBase64(rootHash))
                .append('\n');
        for (String line : extensionLines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Strictly parses a checkpoint note text: at least three non-empty newline-terminated lines, size in
     * decimal without sign or leading zeros and within a long, root as canonical padded base64 of 32 bytes,
     * no control characters. {@code parse(c.body())} equals {@code c}.
     *
     * @throws ProofException (MALFORMED) on any violation
     */
    public static Checkpoint parse(String body) {
        Objects.requireNonNull(body, "checkpoint body");
        if (!body.endsWith("\n")) {
            throw ProofException.malformed("checkpoint must end with a newline");
        }
        SignedNote.checkChars(body, "checkpoint");
        List<String> lines = Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1));
        if (lines.size() < 3) {
            throw ProofException.malformed(
                    "checkpoint needs origin, size and root hash lines, got %d lines", lines.size());
        }
        String sizeText = lines.get(1);
        if (!DECIMAL.matcher(sizeText).matches()) {
            throw ProofException.malformed("checkpoint size is not canonical decimal: %s", Hashes.abbreviate(sizeText));
        }
        long size;
        try {
            size = Long.parseLong(sizeText);
        } catch (NumberFormatException e) {
            throw ProofException.malformed("checkpoint size is too large: %s", Hashes.abbreviate(sizeText));
        }
        byte[] root = Hashes.hashFromBase64(lines.get(2));
        return new Checkpoint(lines.get(0), size, root, new ArrayList<>(lines.subList(3, lines.size())));
    }

    private static void checkLine(String line, String what) {
        if (line == null || line.isEmpty()) {
            throw ProofException.malformed("checkpoint %s must be non-empty", what);
        }
        if (line.indexOf('\n') >= 0) {
            throw ProofException.malformed("checkpoint %s must be a single line", what);
        }
        SignedNote.checkChars(line, "checkpoint " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c
                && origin.equals(c.origin)
                && size == c.size
                && Arrays.equals(rootHash, c.rootHash)
                && extensionLines.equals(c.extensionLines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensionLines);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size=" + size + ", root=" + Hashes.toHex(rootHash) + ", extensions="
                + extensionLines.size() + "]";
    }
}
