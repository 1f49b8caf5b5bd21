package dev.tally.verify;

import java.util.List;

/**
 * Reads stored tree hashes by their position in the {@link StoredHashes} layout, one batch per call.
 * Proof construction calls it once per proof with at most O(log n) indexes, sorted ascending
 * where the algorithm allows (mirrors Go's {@code tlog.HashReader}).
 */
@FunctionalInterface
public interface HashReader {
    /**
     * Returns the hashes stored at {@code indexes}, in the same order and of the same count.
     * Implementations signal storage failures with an unchecked exception; callers treat a result
     * of the wrong size or a hash that is not 32 bytes as a broken reader ({@link IllegalStateException}).
     */
    List<byte[]> readHashes(long[] indexes);
}
