package dev.tally.verify;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/** Raw 32-byte Ed25519 (RFC 8032) keys on top of the JDK's SunEC provider. */
final class Ed25519 {
    /** C2SP signed-note signature type of Ed25519. */
    static final byte SIGNATURE_TYPE = 0x01;

    static final int KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    /** DER SubjectPublicKeyInfo header for id-Ed25519 (RFC 8410 §4). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** DER PKCS#8 v1 header for id-Ed25519 (RFC 8410 §7). */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private Ed25519() {}

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    static PublicKey publicKey(byte[] raw) {
        requireSize(raw, "Ed25519 public key");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, "not an Ed25519 public key", e);
        }
    }

    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null
                || der.length != X509_PREFIX.length + KEY_SIZE
                || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw ProofException.malformed("not an Ed25519 public key (%s)", key.getAlgorithm());
        }
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
    }

    static PrivateKey privateKey(byte[] seed) {
        requireSize(seed, "Ed25519 seed");
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, "not an Ed25519 seed", e);
        }
    }

    /** The 32-byte RFC 8032 seed of an Ed25519 private key. */
    static byte[] seed(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed
                && "Ed25519".equalsIgnoreCase(ed.getParams().getName())
                && ed.getBytes().isPresent()) {
            return requireSize(ed.getBytes().get(), "Ed25519 seed");
        }
        byte[] der = key.getEncoded();
        if (der == null
                || der.length != PKCS8_PREFIX.length + KEY_SIZE
                || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
            throw ProofException.malformed("not an Ed25519 private key (%s)", key.getAlgorithm());
        }
        return Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length);
    }

    /**
     * Derives the public key of a seed by letting the JDK generator draw the seed as its randomness
     * (SunEC's generator takes the private key verbatim from {@code SecureRandom.nextBytes}).
     * Callers check the result against a signature or key hash.
     */
    static byte[] publicKeyFromSeed(byte[] seed) {
        requireSize(seed, "Ed25519 seed");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            return rawPublicKey(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot derive Ed25519 public keys", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** RFC 8032 verification; false for a signature of the wrong length or one the provider refuses. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot verify Ed25519 signatures", e);
        }
    }

    private static byte[] requireSize(byte[] bytes, String what) {
        if (bytes == null || bytes.length != KEY_SIZE) {
            throw ProofException.malformed("%s must be %d bytes", what, KEY_SIZE);
        }
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A "random" source that yields exactly one fixed seed. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] seed;
        private boolean used;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (used || bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            used = true;
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
