package dev.tally.verify;

import java.util.Optional;

/**
 * A self-contained proof document as exchanged in JSON by {@link ProofJson}: either an inclusion proof or a
 * consistency proof, optionally carrying the signed checkpoint that vouches for the tree it proves against.
 */
public sealed interface ProofDocument permits InclusionProof, ConsistencyProof {
    /** True iff the proof verifies against the document's own sizes and roots (RFC 9162 §2.1.3.2 / §2.1.4.2). */
    boolean verify();

    /** The strict JSON form; {@code ProofJson.parse(toJson())} equals this document. */
    String toJson();

    /** The embedded signed checkpoint note, if any. It is not verified by {@link #verify()}. */
    Optional<String> checkpoint();

    /** The tree size an embedded checkpoint must state: treeSize, or size2 for consistency. */
    long checkpointSize();

    /** The root hash an embedded checkpoint must state: root, or root2 for consistency. */
    byte[] checkpointRoot();

    /** A one-line human description of the claim, e.g. "inclusion of leaf 5 in tree of size 8". */
    String describe();
}
