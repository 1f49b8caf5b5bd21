package dev.tally.verify;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies C2SP signed notes from one Ed25519 key, identified like Go's {@code note.Verifier} by key name
 * and key ID. Immutable and thread-safe.
 */
public final class NoteVerifier {
    private static final Pattern KEY_HASH = Pattern.compile("[0-9a-f]{8}");

    private final String name;
    private final byte[] publicKey;
    private final int keyId;
    private final PublicKey jcaKey;

    /**
     * A verifier for the Ed25519 key with raw 32-byte RFC 8032 encoding {@code publicKey} named {@code name}.
     *
     * @throws ProofException (MALFORMED) if the name is invalid or the key is not 32 bytes
     */
    public NoteVerifier(String name, byte[] publicKey) {
        if (!SignedNote.isValidKeyName(name)) {
            throw ProofException.malformed("invalid key name %s", name == null ? "null" : Hashes.abbreviate(name));
        }
        this.name = name;
        this.jcaKey = Ed25519.publicKey(publicKey);
        this.publicKey = publicKey.clone();
        this.keyId = SignedNote.keyId(name, Ed25519.SIGNATURE_TYPE, publicKey);
    }

    /**
     * Parses Go's verifier key text {@code <name>+<8 lower-case hex key ID>+<base64(0x01 ‖ 32-byte key)>}
     * and checks that the key ID matches the name and key.
     *
     * @throws ProofException (MALFORMED) on any other text, an unknown algorithm or a mismatched key ID
     */
    public static NoteVerifier fromVerifierKey(String vkey) {
        Objects.requireNonNull(vkey, "verifier key");
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw ProofException.malformed("verifier key must be name+keyid+key");
        }
        byte[] key = decodeKey(parts[1], parts[2], "verifier");
        NoteVerifier verifier = new NoteVerifier(parts[0], key);
        if (verifier.keyId != Integer.parseUnsignedInt(parts[1], 16)) {
            throw ProofException.malformed("verifier key ID %s does not match key %s", parts[1], parts[0]);
        }
        return verifier;
    }

    /** Decodes the hex key ID and the base64 "0x01 ‖ 32 bytes" field shared by verifier and signer keys. */
    static byte[] decodeKey(String hexId, String base64, String kind) {
        if (!KEY_HASH.matcher(hexId).matches()) {
            throw ProofException.malformed("%s key ID must be 8 lower-case hex digits", kind);
        }
        byte[] raw = Hashes.fromBase64(base64);
        if (raw.length == 0 || raw[0] != Ed25519.SIGNATURE_TYPE) {
            throw ProofException.malformed("%s key is not an Ed25519 (type 0x01) key", kind);
        }
        if (raw.length != 1 + Ed25519.KEY_SIZE) {
            throw ProofException.malformed("%s key must be 1 + %d bytes, got %d", kind, Ed25519.KEY_SIZE, raw.length);
        }
        return Arrays.copyOfRange(raw, 1, raw.length);
    }

    /** Go's verifier key text for this key; {@code fromVerifierKey(verifierKey())} is equivalent to this. */
    public String verifierKey() {
        byte[] encoded = new byte[1 + Ed25519.KEY_SIZE];
        encoded[0] = Ed25519.SIGNATURE_TYPE;
        System.arraycopy(publicKey, 0, encoded, 1, Ed25519.KEY_SIZE);
        return name + "+" + String.format("%08x", keyId) + "+" + Hashes.toBase64(encoded);
    }

    /** The key name that signature lines must carry. */
    public String name() {
        return name;
    }

    /** The C2SP key ID, SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4] as a big-endian int. */
    public int keyId() {
        return keyId;
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Parses a signed note and verifies it per C2SP signed-note: signatures by other keys (a different name
     * or key ID) are ignored; every signature line naming this key must verify; at least one must exist.
     *
     * @return the verified text and the key that signed it
     * @throws ProofException MALFORMED if the envelope does not parse, BAD_SIGNATURE if no signature line is
     *                        from this key or one from this key fails to verify
     */
    public Verified open(String signedNote) {
        SignedNote note = SignedNote.parse(signedNote);
        byte[] message = note.text().getBytes(StandardCharsets.UTF_8);
        boolean signed = false;
        for (SignedNote.Signature s : note.signatures()) {
            if (!s.keyName().equals(name) || s.keyId() != keyId) {
                continue;
            }
            if (!Ed25519.verify(jcaKey, message, s.signature())) {
                throw ProofException.badSignature("invalid signature for key %s+%08x", name, keyId);
            }
            signed = true;
        }
        if (!signed) {
            throw ProofException.badSignature("note has no signature from key %s+%08x", name, keyId);
        }
        return new Verified(note.text(), name, keyId);
    }

    @Override
    public String toString() {
        return "NoteVerifier[" + verifierKey() + "]";
    }

    /**
     * A note text whose signature by {@code keyName}/{@code keyId} verified.
     *
     * @param text    the signed text including its final newline
     * @param keyName the name of the key whose signature verified
     * @param keyId   that key's ID
     */
    public record Verified(String text, String keyName, int keyId) {
        /**
         * Parses the verified text as a C2SP tlog checkpoint.
         *
         * @throws ProofException (MALFORMED) if it is not one
         */
        public Checkpoint checkpoint() {
            return Checkpoint.parse(text);
        }
    }
}
