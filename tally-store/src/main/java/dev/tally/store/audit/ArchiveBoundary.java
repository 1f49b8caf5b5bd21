package dev.tally.store.audit;

import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.error.StoreException;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.LedgerStore;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.Proofs;
import dev.tally.verify.SignedNote;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks the archived boundary a full verification starts from: the recorded hash of the boundary entry must be the
 * last leaf of the tree that the boundary's checkpoint signed (an inclusion proof from the stored tree, checked
 * against the checkpoint's root). The signature itself is checked with the log's key when the run is given one
 * ({@code --public-key}); without it, the boundary is only as good as the database, which the report's note says.
 */
final class ArchiveBoundary {
    private ArchiveBoundary() {}

    static List<Finding> check(LedgerStore store, ArchivedMonth b) {
        Checkpoint c;
        try {
            c = Checkpoint.parse(SignedNote.parse(b.checkpointNote()).text());
        } catch (RuntimeException e) {
            return List.of(finding(b, "its checkpoint does not parse: " + e.getMessage()));
        }
        if (c.size() != b.lastSeq()) {
            return List.of(finding(b, "its checkpoint is of size " + c.size() + ", not " + b.lastSeq()));
        }
        boolean included;
        try {
            included = Proofs.verifyInclusion(
                    b.lastSeq() - 1,
                    b.lastSeq(),
                    Hashes.leafHash(b.lastHash().bytes()),
                    Proofs.proveInclusion(b.lastSeq(), b.lastSeq() - 1, store::readTreeHashes),
                    c.rootHash());
        } catch (StoreException | IllegalStateException e) {
            included = false;
        }
        return included
                ? List.of()
                : List.of(finding(b, "its recorded hash is not the last leaf of the tree its checkpoint signed"));
    }

    private static Finding finding(ArchivedMonth b, String why) {
        return new Finding(
                FindingType.ANCHOR_MISMATCH,
                OptionalLong.of(b.lastSeq()),
                Optional.empty(),
                "The archived boundary, transaction #" + b.lastSeq() + " (end of " + b.month() + "), is not anchored: "
                        + why,
                Map.of(
                        "archived_month",
                        b.month().toString(),
                        "recorded_hash",
                        b.lastHash().hex()));
    }
}
