package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds RFC 9162 Merkle inclusion and consistency proofs from {@link StoredHashes} (tlog's
 * {@code ProveRecord} / {@code ProveTree}, one batched read of O(log n) hashes each) and verifies them
 * with the iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2. Proof nodes are ordered leaf-side
 * first, exactly like RFC 9162 PATH and PROOF, so proofs interoperate with Certificate Transparency,
 * Go's tlog and transparency-dev/merkle.
 *
 * <p>Note that an RFC 9162 proof binds the tree size only through the root: a proof for (index, size)
 * also verifies for another (index', size') whose hashing path has the same shape. Trust in a size
 * therefore comes from a signed {@link Checkpoint} that commits to both size and root.
 */
public final class Proofs {
    private Proofs() {}

    /**
     * RFC 9162 §2.1.3.1 inclusion proof (audit path) for leaf {@code leafIndex} in the tree of the first
     * {@code treeSize} leaves. Empty for a one-leaf tree.
     *
     * @throws ProofException (OUT_OF_RANGE) unless 0 ≤ leafIndex &lt; treeSize
     * @throws IllegalStateException if the reader returns the wrong number or size of hashes
     */
    public static List<byte[]> proveInclusion(long treeSize, long leafIndex, HashReader reader) {
        if (treeSize <= 0 || leafIndex < 0 || leafIndex >= treeSize) {
            throw ProofException.outOfRange("leaf index %d is not in a tree of size %d", leafIndex, treeSize);
        }
        Objects.requireNonNull(reader, "reader");
        List<Long> need = new ArrayList<>();
        leafProofIndex(0, treeSize, leafIndex, need);
        StoredHashes.Cursor hashes = new StoredHashes.Cursor(StoredHashes.read(reader, StoredHashes.toArray(need)));
        List<byte[]> proof = new ArrayList<>();
        leafProof(0, treeSize, leafIndex, hashes, proof);
        hashes.requireDone("proveInclusion");
        return List.copyOf(proof);
    }

    /**
     * RFC 9162 §2.1.4.1 consistency proof that the tree of {@code size1} leaves is a prefix of the tree of
     * {@code size2} leaves. Empty when size1 == size2 or size1 == 0 (the empty tree is a prefix of every tree).
     *
     * @throws ProofException (OUT_OF_RANGE) unless 0 ≤ size1 ≤ size2
     * @throws IllegalStateException if the reader returns the wrong number or size of hashes
     */
    public static List<byte[]> proveConsistency(long size1, long size2, HashReader reader) {
        if (size1 < 0 || size2 < size1) {
            throw ProofException.outOfRange("no consistency proof from size %d to size %d", size1, size2);
        }
        Objects.requireNonNull(reader, "reader");
        if (size1 == 0 || size1 == size2) {
            return List.of();
        }
        List<Long> need = new ArrayList<>();
        treeProofIndex(0, size2, size1, need);
        StoredHashes.Cursor hashes = new StoredHashes.Cursor(StoredHashes.read(reader, StoredHashes.toArray(need)));
        List<byte[]> proof = new ArrayList<>();
        treeProof(0, size2, size1, hashes, proof);
        hashes.requireDone("proveConsistency");
        return List.copyOf(proof);
    }

    /**
     * RFC 9162 §2.1.3.2: true iff {@code proof} shows that {@code leafHash} is leaf {@code leafIndex} of a
     * tree of {@code treeSize} leaves with root {@code root}. False (never an exception) for any bad input:
     * index ≥ size, negative numbers, null or non-32-byte hashes, or a proof with missing or extra nodes.
     */
    public static boolean verifyInclusion(
            long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        // Step 1: leaf_index must be < tree_size.
        if (leafIndex < 0 || treeSize <= 0 || leafIndex >= treeSize) {
            return false;
        }
        if (!Hashes.isHash(leafHash) || !Hashes.isHash(root) || !Hashes.allHashes(proof)) {
            return false;
        }
        long fn = leafIndex; // step 2
        long sn = treeSize - 1;
        byte[] r = leafHash; // step 3
        for (byte[] p : proof) { // step 4
            if (sn == 0) {
                return false; // 4a: more nodes than the path has levels
            }
            if ((fn & 1) == 1 || fn == sn) { // 4b: p is a left sibling
                r = Hashes.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) { // 4b.ii: skip levels where we are a lone right-edge node
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = Hashes.nodeHash(r, p); // p is a right sibling
            }
            fn >>= 1; // 4c
            sn >>= 1;
        }
        return sn == 0 && Hashes.same(r, root); // step 5
    }

    /**
     * RFC 9162 §2.1.4.2: true iff {@code proof} shows that the tree of {@code size1} leaves with root
     * {@code root1} is a prefix of the tree of {@code size2} leaves with root {@code root2}. Edge cases
     * (outside the RFC algorithm, which assumes 0 &lt; size1 &lt; size2):
     * <ul>
     *   <li>size1 == size2: valid iff the proof is empty and root1 equals root2;</li>
     *   <li>size1 == 0 &lt; size2: valid iff the proof is empty and root1 is the empty-tree root
     *       SHA-256(""); root2 is then unconstrained, since the empty tree is a prefix of every tree;</li>
     *   <li>size1 &gt; size2, negative sizes, null or non-32-byte hashes: false.</li>
     * </ul>
     */
    public static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < 0 || size1 > size2) {
            return false;
        }
        if (!Hashes.isHash(root1) || !Hashes.isHash(root2) || !Hashes.allHashes(proof)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && Hashes.same(root1, root2);
        }
        if (size1 == 0) {
            return proof.isEmpty() && Hashes.same(root1, Hashes.emptyRoot());
        }
        if (proof.isEmpty()) {
            return false; // step 1
        }
        // Step 2: if size1 is an exact power of 2, the old root is the first node of the path.
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1; // step 3
        long sn = size2 - 1;
        while ((fn & 1) == 1) { // step 4
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0); // step 5
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) { // step 6
            byte[] c = path.get(i);
            if (sn == 0) {
                return false; // 6a
            }
            if ((fn & 1) == 1 || fn == sn) { // 6b: c is a left sibling in both trees
                fr = Hashes.nodeHash(c, fr);
                sr = Hashes.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else { // c is a right sibling that only exists in the new tree
                sr = Hashes.nodeHash(sr, c);
            }
            fn >>= 1; // 6c
            sn >>= 1;
        }
        return sn == 0 && Hashes.same(fr, root1) && Hashes.same(sr, root2); // step 7
    }

    // ---- proof construction, following tlog leafProofIndex/leafProof/treeProofIndex/treeProof ----

    /** Indexes needed to prove leaf n is in leaves [lo, hi) (RFC 9162 §2.1.3.1 PATH). */
    private static void leafProofIndex(long lo, long hi, long n, List<Long> need) {
        if (!(lo <= n && n < hi)) {
            throw new AssertionError("bad math in leafProofIndex(" + lo + ", " + hi + ", " + n + ")");
        }
        if (lo + 1 == hi) {
            return;
        }
        long k = StoredHashes.maxPow2Below(hi - lo);
        if (n < lo + k) {
            leafProofIndex(lo, lo + k, n, need);
            StoredHashes.subTreeIndex(lo + k, hi, need);
        } else {
            StoredHashes.subTreeIndex(lo, lo + k, need);
            leafProofIndex(lo + k, hi, n, need);
        }
    }

    /** Appends to proof the path for leaf n in [lo, hi), consuming hashes in leafProofIndex order. */
    private static void leafProof(long lo, long hi, long n, StoredHashes.Cursor hashes, List<byte[]> proof) {
        if (!(lo <= n && n < hi)) {
            throw new AssertionError("bad math in leafProof(" + lo + ", " + hi + ", " + n + ")");
        }
        if (lo + 1 == hi) {
            return; // the verifier knows the leaf hash
        }
        long k = StoredHashes.maxPow2Below(hi - lo);
        if (n < lo + k) { // PATH(m, D[0:k]) : MTH(D[k:n])
            leafProof(lo, lo + k, n, hashes, proof);
            proof.add(StoredHashes.subTreeHash(lo + k, hi, hashes));
        } else { // PATH(m - k, D[k:n]) : MTH(D[0:k])
            byte[] left = StoredHashes.subTreeHash(lo, lo + k, hashes);
            leafProof(lo + k, hi, n, hashes, proof);
            proof.add(left);
        }
    }

    /** Indexes needed for SUBPROOF of old size n within leaves [lo, hi) (RFC 9162 §2.1.4.1). */
    private static void treeProofIndex(long lo, long hi, long n, List<Long> need) {
        if (!(lo < n && n <= hi)) {
            throw new AssertionError("bad math in treeProofIndex(" + lo + ", " + hi + ", " + n + ")");
        }
        if (n == hi) {
            if (lo != 0) {
                StoredHashes.subTreeIndex(lo, hi, need);
            }
            return;
        }
        long k = StoredHashes.maxPow2Below(hi - lo);
        if (n <= lo + k) {
            treeProofIndex(lo, lo + k, n, need);
            StoredHashes.subTreeIndex(lo + k, hi, need);
        } else {
            StoredHashes.subTreeIndex(lo, lo + k, need);
            treeProofIndex(lo + k, hi, n, need);
        }
    }

    /** Appends SUBPROOF(n, D[lo:hi], lo == 0) to proof, consuming hashes in treeProofIndex order. */
    private static void treeProof(long lo, long hi, long n, StoredHashes.Cursor hashes, List<byte[]> proof) {
        if (!(lo < n && n <= hi)) {
            throw new AssertionError("bad math in treeProof(" + lo + ", " + hi + ", " + n + ")");
        }
        if (n == hi) {
            if (lo != 0) { // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true the verifier knows it
                proof.add(StoredHashes.subTreeHash(lo, hi, hashes));
            }
            return;
        }
        long k = StoredHashes.maxPow2Below(hi - lo);
        if (n <= lo + k) { // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            treeProof(lo, lo + k, n, hashes, proof);
            proof.add(StoredHashes.subTreeHash(lo + k, hi, hashes));
        } else { // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            byte[] left = StoredHashes.subTreeHash(lo, lo + k, hashes);
            treeProof(lo + k, hi, n, hashes, proof);
            proof.add(left);
        }
    }
}
