package dev.tally.verify;

import java.security.PrivateKey;

/**
 * A witness's cosigning key: C2SP tlog-cosignature {@code cosignature/v1} (Ed25519). It is read from the
 * same key file {@code tally keygen} writes (Go's signer key text): the seed is the same, only the key ID and
 * vkey use signature type 0x04, so a cosignature can never be mistaken for a log signature.
 */
public final class CosignatureSigner {
    private final PrivateKey privateKey;
    private final CosignatureVerifier verifier;

    private CosignatureSigner(String name, byte[] seed) {
        this.privateKey = Ed25519.privateKey(seed);
        this.verifier = new CosignatureVerifier(name, Ed25519.publicKeyFromSeed(seed));
    }

    /**
     * The cosigner of a {@code PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)} key text.
     *
     * @throws ProofException MALFORMED for any other text
     */
    public static CosignatureSigner fromSignerKey(String skey) {
        NoteSigner note = NoteSigner.fromSignerKey(skey.strip());
        String[] parts = skey.strip().split("\\+", 5);
        byte[] seed = NoteVerifier.decodeKey(parts[3], parts[4], "signer");
        return new CosignatureSigner(note.name(), seed);
    }

    /** The verifier of this key, whose vkey a log or a policy names. */
    public CosignatureVerifier verifier() {
        return verifier;
    }

    /** The cosignature line of the checkpoint body {@code noteText} at POSIX time {@code time}, with its newline. */
    public String cosign(String noteText, long time) {
        if (time <= 0) {
            throw new IllegalArgumentException("a cosignature's timestamp must be positive");
        }
        byte[] sig = Ed25519.sign(privateKey, CosignatureVerifier.signedMessage(noteText, time));
        byte[] body = new byte[8 + sig.length];
        for (int i = 0; i < 8; i++) {
            body[i] = (byte) (time >>> (56 - 8 * i));
        }
        System.arraycopy(sig, 0, body, 8, sig.length);
        SignedNote.Signature line = new SignedNote.Signature(verifier.name(), verifier.keyId(), body);
        return line.line();
    }
}
