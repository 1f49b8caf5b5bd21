package dev.tally.ledger.merkle;

import dev.tally.verify.Checkpoint;
import java.time.Instant;
import java.util.Objects;

/**
 * A checkpoint as the ledger keeps it: the C2SP tlog-checkpoint it signed and the whole signed note
 * (c2sp.org/signed-note), which is what gets published and embedded in proofs.
 *
 * @param checkpoint the origin, tree size and RFC 9162 root the note signs
 * @param note the signed note: the checkpoint text, a blank line, and the signature lines
 * @param createdAt when it was taken
 */
public record SignedCheckpoint(Checkpoint checkpoint, String note, Instant createdAt) {
    public SignedCheckpoint {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The number of entries the checkpoint covers. */
    public long size() {
        return checkpoint.size();
    }
}
