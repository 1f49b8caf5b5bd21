package dev.tally.cli;

import dev.tally.verify.CosignatureVerifier;
import dev.tally.verify.SignedNote;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A witness key for tests: cosigns a checkpoint's body as C2SP cosignature/v1 with the JDK's Ed25519. */
final class TestCosigner {
    final String name;
    private final KeyPair keys;
    private final byte[] publicKey;

    TestCosigner(String name) throws GeneralSecurityException {
        this.name = name;
        this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] der = keys.getPublic().getEncoded();
        this.publicKey = Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    String verifierKey() {
        return new CosignatureVerifier(name, publicKey).verifierKey();
    }

    /** The signature line cosigning the note whose text (body) is {@code body}, at POSIX time {@code time}. */
    String cosign(String body, long time) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(CosignatureVerifier.signedMessage(body, time));
        byte[] sig = s.sign();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 64);
        b.putInt(SignedNote.keyId(name, CosignatureVerifier.TYPE, publicKey))
                .putLong(time)
                .put(sig);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(b.array()) + "\n";
    }

    /** {@code note} with this witness's cosignature line appended. */
    String cosignNote(String note) throws GeneralSecurityException {
        String body = note.substring(0, note.indexOf("\n\n") + 1);
        return note + cosign(body, 1_767_225_600L);
    }
}
