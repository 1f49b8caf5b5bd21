package dev.tally.core.audit;

import dev.tally.core.ledger.CanonicalEncoding;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that authenticates the anchors of incremental verification. Someone who can write the database
 * can insert a "successful" run that claims the chain verified past an entry they changed; an incremental
 * run starting there would never read that entry. So every successful run is recorded with an
 * HMAC-SHA256 under this key, which is kept outside the database (a file of 32 random bytes), and an
 * incremental run starts only from a run whose MAC verifies. What the MAC covers is in
 * {@link #message(VerificationRun)} and docs/FORMAT.md.
 */
public final class AnchorKey {
    /** The length of a key, in bytes. */
    public static final int LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] KEY_ID_LABEL = "tally-anchor-key-id".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;
    private final String keyId;

    /** A key of exactly {@value #LENGTH} bytes. */
    public AnchorKey(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("an anchor key is " + LENGTH + " bytes, not " + key.length);
        }
        this.key = key.clone();
        this.keyId = HexFormat.of().formatHex(Arrays.copyOf(hmac(KEY_ID_LABEL), 4));
    }

    /** The key's id: the first 4 bytes of HMAC-SHA256(key, "tally-anchor-key-id"), in hex. It reveals nothing of the key. */
    public String keyId() {
        return keyId;
    }

    /** The MAC of a run under this key. */
    public AnchorMac mac(VerificationRun run) {
        return AnchorMac.of(keyId, hmac(message(run).getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether the run carries a MAC by this key over exactly its fields. */
    public boolean authenticates(VerificationRun run) {
        Optional<AnchorMac> stored = run.anchorMac();
        if (stored.isEmpty() || !stored.get().keyId().equals(keyId)) {
            return false;
        }
        byte[] expected = hmac(message(run).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(
                expected, HexFormat.of().parseHex(stored.get().mac()));
    }

    /**
     * What the MAC covers: every field an incremental run trusts, one {@code name=value} line each, in this
     * order. Times are epoch microseconds, as stored; the hash is lowercase hex, empty when there is none.
     */
    public String message(VerificationRun run) {
        return "tally-verification-run-v1\n"
                + "id=" + run.id() + "\n"
                + "kind=" + run.kind().name() + "\n"
                + "from_seq=" + run.fromSeq() + "\n"
                + "to_seq=" + run.toSeq() + "\n"
                + "last_hash=" + run.lastHash().map(h -> h.hex()).orElse("") + "\n"
                + "valid=" + run.valid() + "\n"
                + "finished_at=" + CanonicalEncoding.epochMicros(run.finishedAt()) + "\n"
                + "key_id=" + keyId + "\n";
    }

    private byte[] hmac(byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "AnchorKey[" + keyId + "]";
    }
}
