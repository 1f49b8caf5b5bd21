package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The append-only stored-hash layout of Go's {@code golang.org/x/mod/sumdb/tlog}: every complete
 * subtree hash of the RFC 9162 §2.1.1 tree is written exactly once, in the order it becomes complete
 * (Crosby &amp; Wallach, "Efficient Data Structures for Tamper-Evident Logging", §3.3). Leaf {@code n}
 * lives at {@code storedHashIndex(0, n)}, and the hash of the 2^level leaves starting at
 * {@code n << level} at {@code storedHashIndex(level, n)}. A log of n leaves has
 * {@code storedHashCount(n)} (&lt; 2n) stored hashes; any root or proof needs O(log n) of them.
 */
public final class StoredHashes {
    private StoredHashes() {}

    /**
     * Tree coordinates of a stored hash.
     *
     * @param level height of the subtree (0 for a leaf)
     * @param n     position of the subtree among those of its height, counting from 0
     */
    public record NodeId(int level, long n) {}

    /**
     * Maps tree coordinates to the dense storage position (tlog {@code StoredHashIndex}).
     *
     * @throws ProofException (OUT_OF_RANGE) if level is outside 0..62, n is negative, or the index overflows
     */
    public static long storedHashIndex(int level, long n) {
        if (level < 0 || level > 62 || n < 0) {
            throw ProofException.outOfRange("no stored hash at level %d, n %d", level, n);
        }
        try {
            // Level L's n-th hash is written right after level L+1's (2n+1)-th hash; walk down to level 0.
            long x = n;
            for (int l = level; l > 0; l--) {
                x = Math.addExact(Math.multiplyExact(2L, x), 1L);
            }
            // Level 0's n-th hash is written at n + n/2 + n/4 + ...
            long i = 0;
            for (; x > 0; x >>= 1) {
                i = Math.addExact(i, x);
            }
            return Math.addExact(i, level);
        } catch (ArithmeticException e) {
            throw ProofException.outOfRange("stored hash index overflows at level %d, n %d", level, n);
        }
    }

    /**
     * Inverse of {@link #storedHashIndex}: {@code splitStoredHashIndex(storedHashIndex(l, n)) == (l, n)}.
     *
     * @throws ProofException (OUT_OF_RANGE) if index is negative
     */
    public static NodeId splitStoredHashIndex(long index) {
        if (index < 0) {
            throw ProofException.outOfRange("negative stored hash index %d", index);
        }
        // storedHashIndex(0, n) < 2n, so the leaf n we want is in [index/2, index/2 + log2(index)].
        long n = index / 2;
        long indexN = storedHashIndex(0, n);
        if (indexN > index) {
            throw new AssertionError("bad math in splitStoredHashIndex(" + index + ")");
        }
        while (true) {
            // Each new leaf n adds 1 + trailingZeros(n+1) hashes.
            long x = indexN + 1 + Long.numberOfTrailingZeros(n + 1);
            if (x > index) {
                break;
            }
            n++;
            indexN = x;
        }
        int level = (int) (index - indexN);
        return new NodeId(level, n >> level);
    }

    /**
     * Number of stored hashes in a log of {@code n} leaves: everything up to leaf n-1 plus the subtrees
     * that leaf completes.
     *
     * @throws ProofException (OUT_OF_RANGE) if n is negative
     */
    public static long storedHashCount(long n) {
        if (n < 0) {
            throw ProofException.outOfRange("negative tree size %d", n);
        }
        if (n == 0) {
            return 0;
        }
        long count = storedHashIndex(0, n - 1) + 1;
        for (long i = n - 1; (i & 1) != 0; i >>>= 1) {
            count++;
        }
        return count;
    }

    /**
     * The hashes to store when appending leaf {@code n} (tlog {@code StoredHashesForRecordHash}): the leaf
     * hash itself, followed by one interior hash per subtree that this leaf completes, to be written at
     * consecutive positions starting at {@code storedHashIndex(0, n)}. Reads at most log2(n) earlier hashes
     * from {@code reader} in one call (none when n is even).
     *
     * @throws ProofException if n is negative or leafHash is not 32 bytes
     * @throws IllegalStateException if the reader returns the wrong number or size of hashes
     */
    public static List<byte[]> storedHashesForRecord(long n, byte[] leafHash, HashReader reader) {
        if (n < 0 || n == Long.MAX_VALUE) {
            throw ProofException.outOfRange("cannot append leaf %d", n);
        }
        Hashes.requireHash(leafHash, "leaf hash");
        Objects.requireNonNull(reader, "reader");
        // Each trailing 1 bit of n completes a subtree and consumes the hash of its left sibling.
        int m = Long.numberOfTrailingZeros(n + 1);
        long[] indexes = new long[m];
        for (int i = 0; i < m; i++) {
            indexes[m - 1 - i] = storedHashIndex(i, (n >> i) - 1); // n >> i is odd; sorted ascending
        }
        List<byte[]> old = read(reader, indexes);
        List<byte[]> hashes = new ArrayList<>(m + 1);
        byte[] h = leafHash.clone();
        hashes.add(h);
        for (int i = 0; i < m; i++) {
            h = Hashes.nodeHash(old.get(m - 1 - i), h);
            hashes.add(h);
        }
        return List.copyOf(hashes);
    }

    /**
     * Same as {@link #storedHashesForRecord} for in-memory or write-path stores: {@code lookup} returns the
     * hash previously stored at a position (it must never return null for positions below
     * {@code storedHashIndex(0, n)}).
     */
    public static List<byte[]> appendHashes(long n, byte[] leafHash, LongFunction<byte[]> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        return storedHashesForRecord(n, leafHash, indexes -> {
            List<byte[]> out = new ArrayList<>(indexes.length);
            for (long index : indexes) {
                out.add(lookup.apply(index));
            }
            return out;
        });
    }

    /**
     * RFC 9162 §2.1.1 root hash MTH of the first {@code size} leaves, from one batched read of at most
     * 1 + log2(size) stored hashes (tlog {@code TreeHash}). The empty tree's root is SHA-256("")
     * per RFC 9162 (tlog uses all zeros instead).
     *
     * @throws ProofException (OUT_OF_RANGE) if size is negative
     * @throws IllegalStateException if the reader returns the wrong number or size of hashes
     */
    public static byte[] treeHash(long size, HashReader reader) {
        if (size < 0) {
            throw ProofException.outOfRange("negative tree size %d", size);
        }
        Objects.requireNonNull(reader, "reader");
        if (size == 0) {
            return Hashes.emptyRoot();
        }
        List<Long> need = new ArrayList<>();
        subTreeIndex(0, size, need);
        Cursor hashes = new Cursor(read(reader, toArray(need)));
        byte[] root = subTreeHash(0, size, hashes);
        hashes.requireDone("treeHash");
        return root;
    }

    // ---- shared with Proofs ----

    /** Largest power of two strictly below n, for n ≥ 2 (RFC 9162 §2.1.1 "k"); 1 for n == 1. */
    static long maxPow2Below(long n) {
        return n <= 2 ? 1 : Long.highestOneBit(n - 1);
    }

    /**
     * Appends the storage indexes of the complete subtrees covering leaves [lo, hi): the largest
     * aligned power-of-two subtree first, then the rest of the fringe (tlog {@code subTreeIndex}).
     */
    static void subTreeIndex(long lo, long hi, List<Long> need) {
        while (lo < hi) {
            long k = Long.highestOneBit(hi - lo); // largest power of two ≤ hi - lo
            int level = Long.numberOfTrailingZeros(k);
            if ((lo & (k - 1)) != 0) {
                throw new AssertionError("bad math in subTreeIndex(" + lo + ", " + hi + ")");
            }
            need.add(storedHashIndex(level, lo >> level));
            lo += k;
        }
    }

    /** Combines the hashes listed by {@link #subTreeIndex} into MTH(D[lo:hi]), consuming them from the cursor. */
    static byte[] subTreeHash(long lo, long hi, Cursor hashes) {
        int numTree = 0;
        for (long x = lo; x < hi; x += Long.highestOneBit(hi - x)) {
            numTree++;
        }
        if (numTree == 0) {
            throw new AssertionError("bad math in subTreeHash(" + lo + ", " + hi + ")");
        }
        byte[][] parts = new byte[numTree][];
        for (int i = 0; i < numTree; i++) {
            parts[i] = hashes.next();
        }
        // The fringe is right-heavy: fold from the right, smallest subtree first.
        byte[] h = parts[numTree - 1];
        for (int i = numTree - 2; i >= 0; i--) {
            h = Hashes.nodeHash(parts[i], h);
        }
        return h;
    }

    static List<byte[]> read(HashReader reader, long[] indexes) {
        if (indexes.length == 0) {
            return List.of();
        }
        List<byte[]> hashes = reader.readHashes(indexes.clone());
        if (hashes == null || hashes.size() != indexes.length) {
            throw new IllegalStateException("HashReader returned "
                    + (hashes == null ? "null" : hashes.size() + " hashes") + " for " + indexes.length + " indexes");
        }
        List<byte[]> copies = new ArrayList<>(indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            if (!Hashes.isHash(hashes.get(i))) {
                throw new IllegalStateException(
                        "HashReader returned a non-32-byte hash for stored index " + indexes[i]);
            }
            copies.add(hashes.get(i).clone()); // results never alias the reader's (possibly cached) arrays
        }
        return copies;
    }

    static long[] toArray(List<Long> list) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** Consumes a batch of read hashes in order; leftovers or underflow mean the index math is wrong. */
    static final class Cursor {
        private final List<byte[]> hashes;
        private int pos;

        Cursor(List<byte[]> hashes) {
            this.hashes = hashes;
        }

        byte[] next() {
            if (pos >= hashes.size()) {
                throw new AssertionError("bad math: consumed more hashes than were read");
            }
            return hashes.get(pos++);
        }

        void requireDone(String where) {
            if (pos != hashes.size()) {
                throw new AssertionError("bad math in " + where + ": " + (hashes.size() - pos) + " hashes left over");
            }
        }
    }
}
