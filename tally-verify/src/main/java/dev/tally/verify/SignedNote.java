package dev.tally.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The C2SP signed-note envelope (c2sp.org/signed-note, Go {@code golang.org/x/mod/sumdb/note}): a text
 * ending in a newline, a blank line, then one or more lines {@code "— <key name> <base64(keyId ‖ sig)>\n"}
 * (em dash U+2014). This record is the parsed, <em>unverified</em> form; use {@link NoteVerifier#open} to
 * check a signature and {@link NoteSigner#sign} to produce one.
 *
 * @param text       the signed text, including its final newline but not the separating blank line
 * @param signatures the signature lines in order of appearance; at least one, at most {@link #MAX_SIGNATURES}
 */
public record SignedNote(String text, List<Signature> signatures) {
    /** Notes with more signature lines are rejected as malformed (the spec requires accepting ≥ 16). */
    public static final int MAX_SIGNATURES = 100;

    static final String SIGNATURE_PREFIX = "\u2014 ";

    /**
     * One signature line.
     *
     * @param keyName   the signing key's name
     * @param keyId     the 32-bit key ID (big-endian on the wire) that prefixes the signature bytes
     * @param signature the raw signature bytes (64 for Ed25519)
     */
    public record Signature(String keyName, int keyId, byte[] signature) {
        /**
         * Validates the name and copies the signature.
         *
         * @throws ProofException (MALFORMED) if the key name is invalid
         */
        public Signature {
            if (!isValidKeyName(keyName)) {
                throw ProofException.malformed(
                        "invalid key name %s", keyName == null ? "null" : Hashes.abbreviate(keyName));
            }
            signature = Objects.requireNonNull(signature, "signature").clone();
        }

        /** A copy of the raw signature bytes. */
        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** The encoded line, {@code "— name base64(keyId ‖ signature)\n"}. */
        public String line() {
            byte[] raw = ByteBuffer.allocate(4 + signature.length)
                    .putInt(keyId)
                    .put(signature)
                    .array();
            return SIGNATURE_PREFIX + keyName + " " + Hashes.toBase64(raw) + "\n";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s
                    && keyName.equals(s.keyName)
                    && keyId == s.keyId
                    && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
        }

        @Override
        public String toString() {
            return "Signature[" + keyName + "+" + String.format("%08x", keyId) + "]";
        }
    }

    /**
     * Validates and copies the parts.
     *
     * @throws ProofException (MALFORMED) if the text is not note text or the signature count is 0 or too large
     */
    public SignedNote {
        checkText(text);
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw ProofException.malformed(
                    "a signed note needs 1 to %d signatures, got %d", MAX_SIGNATURES, signatures.size());
        }
    }

    /** The encoded note: text, blank line, signature lines. {@code parse(format())} equals this. */
    public String format() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Signature s : signatures) {
            sb.append(s.line());
        }
        return sb.toString();
    }

    /**
     * Parses the envelope without verifying anything, with the rules of Go's {@code note.Open}: no control
     * characters but newline, no unpaired surrogates (the Java form of invalid UTF-8), the text separated
     * from the signatures by the last blank line, every signature line well-formed with canonical base64
     * of at least 5 bytes, at most {@link #MAX_SIGNATURES} lines.
     *
     * @throws ProofException (MALFORMED) on any violation
     */
    public static SignedNote parse(String note) {
        Objects.requireNonNull(note, "note");
        checkChars(note, "signed note");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw ProofException.malformed("signed note has no blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw ProofException.malformed("signed note must end with signature lines, each ending in a newline");
        }
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw ProofException.malformed("signed note has %d signatures, more than %d", lines.length, MAX_SIGNATURES);
        }
        List<Signature> signatures = new ArrayList<>(lines.length);
        for (String line : lines) {
            signatures.add(parseLine(line));
        }
        return new SignedNote(text, signatures);
    }

    private static Signature parseLine(String line) {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw ProofException.malformed(
                    "signature line must start with an em dash and a space: %s", Hashes.abbreviate(line));
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw ProofException.malformed("signature line has no signature: %s", Hashes.abbreviate(line));
        }
        String name = rest.substring(0, space);
        if (!isValidKeyName(name)) {
            throw ProofException.malformed("invalid key name in signature line: %s", Hashes.abbreviate(line));
        }
        byte[] raw = Hashes.fromBase64(rest.substring(space + 1));
        if (raw.length < 5) {
            throw ProofException.malformed("signature of %s is too short", name);
        }
        ByteBuffer buf = ByteBuffer.wrap(raw);
        int keyId = buf.getInt();
        return new Signature(name, keyId, Arrays.copyOfRange(raw, 4, raw.length));
    }

    /**
     * Key ID of C2SP signed-note §Signatures: the first four bytes, big-endian, of
     * SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key). For Ed25519 the type byte is 0x01
     * and the key is the 32-byte RFC 8032 encoding.
     */
    public static int keyId(String keyName, byte signatureType, byte[] publicKey) {
        byte[] sum =
                Hashes.sha256(keyName.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', signatureType}, publicKey);
        return ByteBuffer.wrap(sum).getInt();
    }

    /**
     * True for a valid key name: non-empty, no plus sign, no Unicode space (Go's {@code unicode.IsSpace}),
     * no control character and no unpaired surrogate.
     */
    public static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty() || !wellFormed(name)) {
            return false;
        }
        return name.codePoints()
                .noneMatch(cp -> cp == '+'
                        || cp < 0x20
                        || cp == 0x7f
                        || cp == 0x85
                        || Character.isWhitespace(cp)
                        || Character.isSpaceChar(cp));
    }

    /** Note text: ends in a newline, no control characters but newline, no unpaired surrogates. */
    static void checkText(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.endsWith("\n")) {
            throw ProofException.malformed("note text must end with a newline");
        }
        checkChars(text, "note text");
    }

    static void checkChars(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw ProofException.malformed("%s contains control character U+%04X at offset %d", what, (int) c, i);
            }
        }
        if (!wellFormed(s)) {
            throw ProofException.malformed("%s contains an unpaired surrogate (not valid UTF-8)", what);
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
