package dev.tally.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Claim that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
 * {@code size2} leaves with root {@code root2}, with its RFC 9162 §2.1.4 consistency proof. Field names
 * follow transparency-dev/merkle test data. Byte arrays are copied in and out, so instances are immutable.
 *
 * @param size1      size of the older tree, ≥ 0
 * @param size2      size of the newer tree, ≥ 0
 * @param root1      32-byte root of the older tree
 * @param root2      32-byte root of the newer tree
 * @param proof      consistency proof nodes, each 32 bytes
 * @param checkpoint optional signed checkpoint note committing to size2 and root2
 */
public record ConsistencyProof(
        long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof, Optional<String> checkpoint)
        implements ProofDocument {
    /**
     * Validates and deep-copies the components.
     *
     * @throws ProofException OUT_OF_RANGE for negative sizes, MALFORMED for a hash that is not 32 bytes
     */
    public ConsistencyProof {
        if (size1 < 0 || size2 < 0) {
            throw ProofException.outOfRange("size1 %d and size2 %d must not be negative", size1, size2);
        }
        root1 = Hashes.requireHash(root1, "root1").clone();
        root2 = Hashes.requireHash(root2, "root2").clone();
        proof = copyHashes(proof);
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** A consistency proof without an embedded checkpoint. */
    public ConsistencyProof(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        this(size1, size2, root1, root2, proof, Optional.empty());
    }

    /** This proof with {@code signedCheckpoint} (for size2/root2) embedded. */
    public ConsistencyProof withCheckpoint(String signedCheckpoint) {
        return new ConsistencyProof(size1, size2, root1, root2, proof, Optional.of(signedCheckpoint));
    }

    /** A copy of the older root. */
    @Override
    public byte[] root1() {
        return root1.clone();
    }

    /** A copy of the newer root. */
    @Override
    public byte[] root2() {
        return root2.clone();
    }

    /** An unmodifiable deep copy of the proof nodes. */
    @Override
    public List<byte[]> proof() {
        return copyHashes(proof);
    }

    @Override
    public boolean verify() {
        return Proofs.verifyConsistency(size1, size2, root1, root2, proof);
    }

    @Override
    public String toJson() {
        return ProofJson.toJson(this);
    }

    @Override
    public long checkpointSize() {
        return size2;
    }

    @Override
    public byte[] checkpointRoot() {
        return root2();
    }

    @Override
    public String describe() {
        return "consistency of tree size " + size1 + " with tree size " + size2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencyProof p
                && size1 == p.size1
                && size2 == p.size2
                && Arrays.equals(root1, p.root1)
                && Arrays.equals(root2, p.root2)
                && sameHashes(proof, p.proof)
                && checkpoint.equals(p.checkpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size1, size2, Arrays.hashCode(root1), Arrays.hashCode(root2), proof.size(), checkpoint);
    }

    @Override
    public String toString() {
        return "ConsistencyProof[" + describe() + ", root2=" + Hashes.toHex(root2) + ", " + proof.size() + " nodes"
                + (checkpoint.isPresent() ? ", with checkpoint]" : "]");
    }

    static List<byte[]> copyHashes(List<byte[]> hashes) {
        Objects.requireNonNull(hashes, "proof");
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            out.add(Hashes.requireHash(hashes.get(i), "proof[" + i + "]").clone());
        }
        return Collections.unmodifiableList(out);
    }

    static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
