package dev.tally.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * SHA-256 hashing of RFC 9162 §2.1.1 Merkle tree nodes, plus strict hex and base64 codecs.
 * All methods are thread-safe and return fresh arrays the caller may keep or modify.
 */
public final class Hashes {
    /** Length in bytes of every hash this package produces or accepts. */
    public static final int SIZE = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hashes::newDigest);
    private static final byte[] EMPTY_ROOT = newDigest().digest();
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {}

    /** RFC 9162 §2.1.1: the hash of a leaf, {@code SHA-256(0x00 ‖ leafInput)}. Never null, 32 bytes. */
    public static byte[] leafHash(byte[] leafInput) {
        Objects.requireNonNull(leafInput, "leafInput");
        MessageDigest md = SHA256.get();
        md.reset();
        md.update((byte) 0x00);
        md.update(leafInput);
        return md.digest();
    }

    /**
     * RFC 9162 §2.1.1: the hash of an interior node, {@code SHA-256(0x01 ‖ left ‖ right)}.
     *
     * @throws ProofException (MALFORMED) if either child is not a 32-byte hash
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        requireHash(left, "left child");
        requireHash(right, "right child");
        MessageDigest md = SHA256.get();
        md.reset();
        md.update((byte) 0x01);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** RFC 9162 §2.1.1: the root of the empty tree, {@code SHA-256("")} (e3b0c442…b855). */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** Plain SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = SHA256.get();
        md.reset();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** Lower-case hex of {@code bytes}. */
    public static String toHex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /**
     * Decodes hex (either case, even length, no separators).
     *
     * @throws ProofException (MALFORMED) on any other input
     */
    public static byte[] fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, "not hex: " + abbreviate(hex), e);
        }
    }

    /** Standard RFC 4648 §4 base64 with padding. */
    public static String toBase64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes canonical RFC 4648 §4 base64: padding required, no line breaks, no non-zero trailing bits.
     * Exactly one byte string maps to each accepted text, so signatures and hashes cannot be re-encoded.
     *
     * @throws ProofException (MALFORMED) on any other input
     */
    public static byte[] fromBase64(String text) {
        Objects.requireNonNull(text, "base64 text");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, "not base64: " + abbreviate(text), e);
        }
        if (!toBase64(bytes).equals(text)) {
            throw ProofException.malformed("not canonical padded base64: %s", abbreviate(text));
        }
        return bytes;
    }

    /**
     * Decodes a canonical base64 hash of exactly {@link #SIZE} bytes.
     *
     * @throws ProofException (MALFORMED) if the text is not canonical base64 of 32 bytes
     */
    public static byte[] hashFromBase64(String text) {
        byte[] hash = fromBase64(text);
        if (hash.length != SIZE) {
            throw ProofException.malformed("hash must be %d bytes, got %d: %s", SIZE, hash.length, abbreviate(text));
        }
        return hash;
    }

    /** True when {@code bytes} is non-null and exactly {@link #SIZE} long. */
    public static boolean isHash(byte[] bytes) {
        return bytes != null && bytes.length == SIZE;
    }

    static boolean allHashes(List<byte[]> hashes) {
        if (hashes == null) {
            return false;
        }
        for (byte[] h : hashes) {
            if (!isHash(h)) {
                return false;
            }
        }
        return true;
    }

    static byte[] requireHash(byte[] bytes, String what) {
        if (bytes == null) {
            throw ProofException.malformed("%s is missing", what);
        }
        if (bytes.length != SIZE) {
            throw ProofException.malformed("%s must be %d bytes, got %d", what, SIZE, bytes.length);
        }
        return bytes;
    }

    /** Compares two byte arrays in time independent of where they differ; null equals nothing. */
    static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 77) + "...\"";
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK must provide SHA-256", e);
        }
    }
}
