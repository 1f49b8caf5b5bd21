package dev.tally.verify;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies C2SP tlog-cosignature {@code cosignature/v1} (Ed25519) cosignatures: a signature line whose 4-byte
 * key ID is {@code SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]} and whose signature is an 8-byte big-endian
 * POSIX timestamp followed by the Ed25519 signature of {@code "cosignature/v1\ntime <timestamp>\n"} and the
 * checkpoint body. Verifier keys are vkeys of type 0x04: {@code name+keyid+base64(0x04 ‖ public key)}.
 */
public final class CosignatureVerifier {
    /** The vkey signature type of an Ed25519 cosigner. */
    public static final byte TYPE = 0x04;

    private final String name;
    private final byte[] publicKey;
    private final PublicKey jcaKey;
    private final int keyId;

    public CosignatureVerifier(String name, byte[] publicKey) {
        Objects.requireNonNull(name, "name");
        if (!SignedNote.isValidKeyName(name) || publicKey.length != Ed25519.KEY_SIZE) {
            throw ProofException.malformed("not a cosigner key: %s", name);
        }
        this.name = name;
        this.publicKey = publicKey.clone();
        this.jcaKey = Ed25519.publicKey(publicKey);
        this.keyId = SignedNote.keyId(name, TYPE, publicKey);
    }

    /**
     * Parses {@code name+keyid+base64(0x04 ‖ key)}.
     *
     * @throws ProofException MALFORMED for any other text or a key ID that does not match
     */
    public static CosignatureVerifier fromVerifierKey(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
            throw ProofException.malformed("cosigner key must be name+keyid+key");
        }
        byte[] raw = Hashes.fromBase64(parts[2]);
        if (raw.length != 1 + Ed25519.KEY_SIZE || raw[0] != TYPE) {
            throw ProofException.malformed("cosigner key %s is not an Ed25519 cosignature (type 0x04) key", parts[0]);
        }
        CosignatureVerifier v = new CosignatureVerifier(parts[0], Arrays.copyOfRange(raw, 1, raw.length));
        if (v.keyId != Integer.parseUnsignedInt(parts[1], 16)) {
            throw ProofException.malformed("cosigner key ID %s does not match key %s", parts[1], parts[0]);
        }
        return v;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The vkey text. */
    public String verifierKey() {
        byte[] encoded = new byte[1 + Ed25519.KEY_SIZE];
        encoded[0] = TYPE;
        System.arraycopy(publicKey, 0, encoded, 1, Ed25519.KEY_SIZE);
        return name + "+" + String.format("%08x", keyId) + "+" + Hashes.toBase64(encoded);
    }

    /** Whether a signature line is this cosigner's (by name and key ID; its validity is {@link #verify}'s). */
    public boolean names(SignedNote.Signature s) {
        return s.keyName().equals(name) && s.keyId() == keyId;
    }

    /** The cosignature's timestamp when {@code s} is this cosigner's valid cosignature of {@code noteText}. */
    public Optional<Long> verify(String noteText, SignedNote.Signature s) {
        byte[] sig = s.signature();
        if (!names(s) || sig.length != 8 + Ed25519.SIGNATURE_SIZE) {
            return Optional.empty();
        }
        long time = 0;
        for (int i = 0; i < 8; i++) {
            time = (time << 8) | (sig[i] & 0xff);
        }
        if (time <= 0) {
            return Optional.empty();
        }
        byte[] message = signedMessage(noteText, time);
        byte[] signature = Arrays.copyOfRange(sig, 8, sig.length);
        return Ed25519.verify(jcaKey, message, signature) ? Optional.of(time) : Optional.empty();
    }

    /** What a cosigner signs: the header line, the timestamp line, then the checkpoint body. */
    public static byte[] signedMessage(String noteText, long time) {
        return ("cosignature/v1\ntime " + time + "\n" + noteText).getBytes(StandardCharsets.UTF_8);
    }
}
