package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Direct, recursive transcription of the RFC 9162 definitions over an in-memory list of leaf inputs:
 * MTH (§2.1.1), PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1). O(n) per call; meant as the reference
 * model that the O(log n) {@link StoredHashes}/{@link Proofs} code is tested against, and for small trees.
 */
public final class MerkleTree {
    private MerkleTree() {}

    /** MTH(D[n]) of RFC 9162 §2.1.1; the empty list gives SHA-256(""). */
    public static byte[] root(List<byte[]> leafInputs) {
        List<byte[]> leaves = leafHashes(leafInputs);
        return mth(leaves, 0, leaves.size());
    }

    /**
     * PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf {@code leafIndex} of the tree of all {@code leafInputs}.
     *
     * @throws ProofException (OUT_OF_RANGE) unless 0 ≤ leafIndex &lt; leafInputs.size()
     */
    public static List<byte[]> inclusionPath(int leafIndex, List<byte[]> leafInputs) {
        List<byte[]> leaves = leafHashes(leafInputs);
        if (leafIndex < 0 || leafIndex >= leaves.size()) {
            throw ProofException.outOfRange("leaf index %d is not in a tree of size %d", leafIndex, leaves.size());
        }
        List<byte[]> out = new ArrayList<>();
        path(leafIndex, leaves, 0, leaves.size(), out);
        return List.copyOf(out);
    }

    /**
     * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1, from the tree of the first {@code size1}
     * leaves to the tree of all {@code leafInputs}. Empty when size1 equals the list size (as the RFC
     * recursion gives) and, by this package's convention, when size1 is 0.
     *
     * @throws ProofException (OUT_OF_RANGE) unless 0 ≤ size1 ≤ leafInputs.size()
     */
    public static List<byte[]> consistencyProof(int size1, List<byte[]> leafInputs) {
        List<byte[]> leaves = leafHashes(leafInputs);
        if (size1 < 0 || size1 > leaves.size()) {
            throw ProofException.outOfRange("no consistency proof from size %d to size %d", size1, leaves.size());
        }
        List<byte[]> out = new ArrayList<>();
        if (size1 > 0) {
            subproof(size1, leaves, 0, leaves.size(), true, out);
        }
        return List.copyOf(out);
    }

    private static List<byte[]> leafHashes(List<byte[]> leafInputs) {
        Objects.requireNonNull(leafInputs, "leafInputs");
        List<byte[]> out = new ArrayList<>(leafInputs.size());
        for (byte[] input : leafInputs) {
            out.add(Hashes.leafHash(input));
        }
        return out;
    }

    /** MTH(D[lo:hi]): empty → SHA-256(""), one leaf → its leaf hash, else split at the largest k &lt; n. */
    private static byte[] mth(List<byte[]> leaves, int lo, int hi) {
        int n = hi - lo;
        if (n == 0) {
            return Hashes.emptyRoot();
        }
        if (n == 1) {
            return leaves.get(lo);
        }
        int k = (int) StoredHashes.maxPow2Below(n);
        return Hashes.nodeHash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
    }

    /** PATH(m, D[lo:hi]) with m an absolute index. */
    private static void path(int m, List<byte[]> leaves, int lo, int hi, List<byte[]> out) {
        if (hi - lo == 1) {
            return; // PATH(0, {d(0)}) = {}
        }
        int k = (int) StoredHashes.maxPow2Below(hi - lo);
        if (m < lo + k) { // PATH(m, D[0:k]) : MTH(D[k:n])
            path(m, leaves, lo, lo + k, out);
            out.add(mth(leaves, lo + k, hi));
        } else { // PATH(m - k, D[k:n]) : MTH(D[0:k])
            path(m, leaves, lo + k, hi, out);
            out.add(mth(leaves, lo, lo + k));
        }
    }

    /** SUBPROOF(m, D[lo:hi], b) with m an absolute size. */
    private static void subproof(int m, List<byte[]> leaves, int lo, int hi, boolean b, List<byte[]> out) {
        if (m == hi) { // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
            if (!b) {
                out.add(mth(leaves, lo, hi));
            }
            return;
        }
        int k = (int) StoredHashes.maxPow2Below(hi - lo);
        if (m <= lo + k) { // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            subproof(m, leaves, lo, lo + k, b, out);
            out.add(mth(leaves, lo + k, hi));
        } else { // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            subproof(m, leaves, lo + k, hi, false, out);
            out.add(mth(leaves, lo, lo + k));
        }
    }
}
