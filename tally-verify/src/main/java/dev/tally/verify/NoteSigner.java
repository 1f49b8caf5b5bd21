package dev.tally.verify;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.Objects;

/**
 * Signs C2SP signed notes with one Ed25519 key (Go's {@code note.Signer}). Immutable and thread-safe.
 * {@link #toString()} never reveals the private key.
 */
public final class NoteSigner {
    private static final String SIGNER_PREFIX = "PRIVATE+KEY+";

    private final String name;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;

    /**
     * A signer for an Ed25519 private key under key name {@code name}. The public key (needed for the key
     * ID) is derived from the key's seed and checked with a probe signature.
     *
     * @throws ProofException (MALFORMED) if the name is invalid or the key is not Ed25519
     */
    public NoteSigner(String name, PrivateKey privateKey) {
        this(name, Ed25519.seed(Objects.requireNonNull(privateKey, "privateKey")), true);
    }

    private NoteSigner(String name, byte[] seed, boolean probe) {
        if (!SignedNote.isValidKeyName(name)) {
            throw ProofException.malformed("invalid key name %s", name == null ? "null" : Hashes.abbreviate(name));
        }
        this.name = name;
        this.privateKey = Ed25519.privateKey(seed);
        this.verifier = new NoteVerifier(name, Ed25519.publicKeyFromSeed(seed));
        if (probe) {
            byte[] msg = "tally key probe\n".getBytes(StandardCharsets.UTF_8);
            if (!Ed25519.verify(Ed25519.publicKey(verifier.publicKey()), msg, Ed25519.sign(privateKey, msg))) {
                throw new IllegalStateException("derived Ed25519 public key does not match the private key");
            }
        }
    }

    /**
     * Parses Go's signer key text {@code PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>} and
     * checks the key ID against the derived public key.
     *
     * @throws ProofException (MALFORMED) on any other text or a mismatched key ID
     */
    public static NoteSigner fromSignerKey(String skey) {
        Objects.requireNonNull(skey, "signer key");
        if (!skey.startsWith(SIGNER_PREFIX)) {
            throw ProofException.malformed("signer key must start with PRIVATE+KEY+");
        }
        String[] parts = skey.substring(SIGNER_PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw ProofException.malformed("signer key must be PRIVATE+KEY+name+keyid+key");
        }
        byte[] seed = NoteVerifier.decodeKey(parts[1], parts[2], "signer");
        NoteSigner signer = new NoteSigner(parts[0], seed, false);
        if (signer.keyId() != Integer.parseUnsignedInt(parts[1], 16)) {
            throw ProofException.malformed("signer key ID %s does not match key %s", parts[1], parts[0]);
        }
        return signer;
    }

    /** Generates a fresh Ed25519 key named {@code name} and returns its signer and verifier key texts. */
    public static KeyPairText generate(String name) {
        KeyPair pair = Ed25519.generate();
        byte[] seed = Ed25519.seed(pair.getPrivate());
        NoteSigner signer = new NoteSigner(name, seed, true);
        byte[] encoded = new byte[1 + Ed25519.KEY_SIZE];
        encoded[0] = Ed25519.SIGNATURE_TYPE;
        System.arraycopy(seed, 0, encoded, 1, Ed25519.KEY_SIZE);
        String skey =
                SIGNER_PREFIX + name + "+" + String.format("%08x", signer.keyId()) + "+" + Hashes.toBase64(encoded);
        return new KeyPairText(skey, signer.verifier.verifierKey());
    }

    /**
     * Signs {@code text} and returns the complete signed note: text, blank line, one signature line.
     *
     * @throws ProofException (MALFORMED) unless text ends in a newline and has no control characters
     *                        other than newline and no unpaired surrogates
     */
    public String sign(String text) {
        SignedNote.checkText(text);
        byte[] signature = Ed25519.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
        return new SignedNote(text, List.of(new SignedNote.Signature(name, keyId(), signature))).format();
    }

    /** The key name written in signature lines. */
    public String name() {
        return name;
    }

    /** The C2SP key ID of this key. */
    public int keyId() {
        return verifier.keyId();
    }

    /** The verifier for this signer's public key. */
    public NoteVerifier verifier() {
        return verifier;
    }

    @Override
    public String toString() {
        return "NoteSigner[" + name + "+" + String.format("%08x", keyId()) + "]";
    }

    /**
     * Signer and verifier key texts of one key pair. The signer key is a secret; {@link #toString()} omits it.
     *
     * @param signerKey   {@code PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)}, for {@link NoteSigner#fromSignerKey}
     * @param verifierKey {@code name+keyid+base64(0x01 ‖ public key)}, for {@link NoteVerifier#fromVerifierKey}
     */
    public record KeyPairText(String signerKey, String verifierKey) {
        @Override
        public String toString() {
            return "KeyPairText[signerKey=<redacted>, verifierKey=" + verifierKey + "]";
        }
    }
}
