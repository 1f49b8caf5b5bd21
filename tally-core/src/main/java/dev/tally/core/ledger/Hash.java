package dev.tally.core.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value, compared by content and printed as lower-case hex. */
public final class Hash {
    /** The genesis entry's previous hash: 32 zero bytes. */
    public static final Hash ZERO = new Hash(new byte[32]);

    private static final HexFormat HEX = HexFormat.of();
    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of 32 bytes. */
    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("a hash has 32 bytes");
        }
        return new Hash(bytes.clone());
    }

    /** Takes ownership of an array the caller will not touch again (hot path: no copy). */
    static Hash wrap(byte[] bytes) {
        return new Hash(bytes);
    }

    /** Parses 64 hex characters. */
    public static Hash ofHex(String hex) {
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException("a hash is 64 hex characters");
        }
        return new Hash(HEX.parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the bytes into a buffer without allocating. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, 32);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
