package dev.tally.core.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Computes an entry's {@code current_hash}: SHA-256 of its canonical encoding. Thread-safe. */
public final class EntryHasher {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    });

    private EntryHasher() {}

    /** The hash the entry should carry, whatever it carries now. */
    public static Hash hash(LedgerEntry entry) {
        return Hash.wrap(SHA256.get().digest(CanonicalEncoding.encode(entry)));
    }
}
