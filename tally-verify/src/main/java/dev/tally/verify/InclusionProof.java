package dev.tally.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Claim that {@code leafHash} is leaf {@code leafIdx} of the tree of {@code treeSize} leaves with root
 * {@code root}, with its RFC 9162 §2.1.3 audit path. Field names follow transparency-dev/merkle test data.
 * Byte arrays are copied in and out, so instances are immutable.
 *
 * @param leafIdx    index of the leaf, ≥ 0
 * @param treeSize   number of leaves in the tree, ≥ 0
 * @param root       32-byte root of that tree
 * @param leafHash   32-byte RFC 9162 leaf hash
 * @param proof      audit path, leaf side first, each node 32 bytes
 * @param checkpoint optional signed checkpoint note committing to treeSize and root
 */
public record InclusionProof(
        long leafIdx, long treeSize, byte[] root, byte[] leafHash, List<byte[]> proof, Optional<String> checkpoint)
        implements ProofDocument {
    /**
     * Validates and deep-copies the components.
     *
     * @throws ProofException OUT_OF_RANGE for negative numbers, MALFORMED for a hash that is not 32 bytes
     */
    public InclusionProof {
        if (leafIdx < 0 || treeSize < 0) {
            throw ProofException.outOfRange("leafIdx %d and treeSize %d must not be negative", leafIdx, treeSize);
        }
        root = Hashes.requireHash(root, "root").clone();
        leafHash = Hashes.requireHash(leafHash, "leafHash").clone();
        proof = ConsistencyProof.copyHashes(proof);
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** An inclusion proof without an embedded checkpoint. */
    public InclusionProof(long leafIdx, long treeSize, byte[] root, byte[] leafHash, List<byte[]> proof) {
        this(leafIdx, treeSize, root, leafHash, proof, Optional.empty());
    }

    /** This proof with {@code signedCheckpoint} embedded. */
    public InclusionProof withCheckpoint(String signedCheckpoint) {
        return new InclusionProof(leafIdx, treeSize, root, leafHash, proof, Optional.of(signedCheckpoint));
    }

    /** A copy of the root hash. */
    @Override
    public byte[] root() {
        return root.clone();
    }

    /** A copy of the leaf hash. */
    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /** An unmodifiable deep copy of the audit path. */
    @Override
    public List<byte[]> proof() {
        return ConsistencyProof.copyHashes(proof);
    }

    @Override
    public boolean verify() {
        return Proofs.verifyInclusion(leafIdx, treeSize, leafHash, proof, root);
    }

    @Override
    public String toJson() {
        return ProofJson.toJson(this);
    }

    @Override
    public long checkpointSize() {
        return treeSize;
    }

    @Override
    public byte[] checkpointRoot() {
        return root();
    }

    @Override
    public String describe() {
        return "inclusion of leaf " + leafIdx + " in tree of size " + treeSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InclusionProof p
                && leafIdx == p.leafIdx
                && treeSize == p.treeSize
                && Arrays.equals(root, p.root)
                && Arrays.equals(leafHash, p.leafHash)
                && ConsistencyProof.sameHashes(proof, p.proof)
                && checkpoint.equals(p.checkpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                leafIdx, treeSize, Arrays.hashCode(root), Arrays.hashCode(leafHash), proof.size(), checkpoint);
    }

    @Override
    public String toString() {
        return "InclusionProof[" + describe() + ", root=" + Hashes.toHex(root) + ", " + proof.size() + " nodes"
                + (checkpoint.isPresent() ? ", with checkpoint]" : "]");
    }
}
