package dev.tally.core.audit;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What an entry's successor is checked against: the predecessor as stored, whatever it holds. Its hash is
 * the raw stored bytes (a tampered row may hold a hash of the wrong length), so a record over a copy.
 *
 * @param seq the predecessor's position; 0 for the genesis link
 * @param transactionId the predecessor's id; empty for the genesis link
 * @param createdAtMicros the predecessor's time; {@link Long#MIN_VALUE} for the genesis link
 */
public record Link(long seq, Optional<String> transactionId, byte[] storedHash, long createdAtMicros) {
    /** What the first entry links to: seq 0 and 32 zero bytes. */
    public static final Link GENESIS = new Link(0, Optional.empty(), new byte[32], Long.MIN_VALUE);

    public Link {
        Objects.requireNonNull(transactionId, "transactionId");
        storedHash = storedHash.clone();
    }

    @Override
    public byte[] storedHash() {
        return storedHash.clone();
    }

    /** The stored hash as lower-case hex, as reports show it. */
    public String hashHex() {
        return HexFormat.of().formatHex(storedHash);
    }

    boolean hashEquals(byte[] other) {
        return java.util.Arrays.equals(storedHash, other);
    }
}
