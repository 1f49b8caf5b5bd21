package dev.tally.verify;

import java.util.Arrays;

/**
 * The RFC 9162 §2.1.1 root of a growing tree, computed from its leaves alone in one pass: the "compact
 * range" of transparency-dev/merkle, i.e. the hashes of the maximal complete subtrees on the tree's right
 * edge (at most 64 of them). Appending a leaf costs one leaf hash plus one node hash per subtree it
 * completes (one on average), and {@link #root()} folds at most log2(size) hashes.
 *
 * <p>This is how an auditor recomputes a signed checkpoint's root from the entries themselves, trusting no
 * stored tree: feed the leaves in order and compare {@link #root()} at each checkpoint's size. Not
 * thread-safe.
 */
public final class CompactRange {
    /** Hashes of the right-edge subtrees, largest (leftmost) first; {@code levels[i]} is the height of {@code hashes[i]}. */
    private final byte[][] hashes = new byte[64][];

    private final int[] levels = new int[64];
    private int count;
    private long size;

    /** An empty tree. */
    public CompactRange() {}

    /** Appends a leaf by its input (RFC 9162 §2.1.1: the leaf hash is SHA-256(0x00 ‖ input)). */
    public void appendLeaf(byte[] leafInput) {
        appendLeafHash(Hashes.leafHash(leafInput));
    }

    /**
     * Appends a leaf by its leaf hash; each pair of equal-height subtrees it completes merges into their
     * parent, SHA-256(0x01 ‖ left ‖ right).
     *
     * @throws ProofException MALFORMED if the hash is not 32 bytes
     */
    public void appendLeafHash(byte[] leafHash) {
        byte[] h = Hashes.requireHash(leafHash, "leaf hash").clone();
        int level = 0;
        while (count > 0 && levels[count - 1] == level) {
            h = Hashes.nodeHash(hashes[--count], h);
            level++;
        }
        hashes[count] = h;
        levels[count] = level;
        count++;
        size++;
    }

    /** Number of leaves appended. */
    public long size() {
        return size;
    }

    /**
     * MTH of the leaves so far (RFC 9162 §2.1.1): the right-edge subtrees folded from the right, since the
     * tree of n leaves is MTH(D[0:k]) over MTH(D[k:n]) with k the largest power of two below n. The empty
     * tree's root is SHA-256("").
     */
    public byte[] root() {
        if (count == 0) {
            return Hashes.emptyRoot();
        }
        byte[] h = hashes[count - 1];
        for (int i = count - 2; i >= 0; i--) {
            h = Hashes.nodeHash(hashes[i], h);
        }
        return h.clone();
    }

    @Override
    public String toString() {
        return "CompactRange[size=" + size + ", subtrees=" + Arrays.toString(Arrays.copyOf(levels, count)) + "]";
    }
}
