package dev.tally.client;

import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.ProofDocument;
import dev.tally.verify.ProofException;
import dev.tally.verify.ProofJson;

/** Checks an inclusion proof document (as the server answers it) with tally-verify, trusting only a pinned key. */
final class InclusionCheck {
    private InclusionCheck() {}

    /**
     * The proof shows that {@code entry} is in the log whose checkpoint the key {@code verifierKey} (a C2SP
     * verifier key, as {@code tally keygen} writes it) signed.
     *
     * @throws ProofRejected if anything does not check out
     */
    static VerifiedInclusion check(String proofJson, Entry entry, String verifierKey) {
        NoteVerifier verifier;
        ProofDocument doc;
        try {
            verifier = NoteVerifier.fromVerifierKey(verifierKey.strip());
            doc = ProofJson.parse(proofJson);
        } catch (IllegalArgumentException e) { // ProofException is one
            throw new ProofRejected("malformed proof or key: " + e.getMessage(), e);
        }
        if (!(doc instanceof InclusionProof proof)) {
            throw new ProofRejected("not an inclusion proof: " + doc.describe());
        }
        if (!java.security.MessageDigest.isEqual(
                proof.leafHash(), Hashes.leafHash(Hashes.fromHex(entry.currentHash())))) {
            throw new ProofRejected("the proof is for another leaf than transaction " + entry.transactionId());
        }
        if (!proof.verify()) {
            throw new ProofRejected("the inclusion proof does not lead to its root");
        }
        String note = proof.checkpoint().orElseThrow(() -> new ProofRejected("the proof carries no signed checkpoint"));
        NoteVerifier.Verified opened;
        Checkpoint checkpoint;
        try {
            opened = verifier.open(note);
            checkpoint = opened.checkpoint();
        } catch (ProofException e) {
            throw new ProofRejected("the checkpoint is not signed by the pinned key: " + e.getMessage(), e);
        }
        if (checkpoint.size() != proof.treeSize()
                || !java.security.MessageDigest.isEqual(checkpoint.rootHash(), proof.root())) {
            throw new ProofRejected("the signed checkpoint (size " + checkpoint.size()
                    + ") does not state the proof's tree (size " + proof.treeSize() + ")");
        }
        return new VerifiedInclusion(
                entry.transactionId(), proof.leafIdx(), proof.treeSize(), checkpoint.origin(), opened.keyName());
    }
}
