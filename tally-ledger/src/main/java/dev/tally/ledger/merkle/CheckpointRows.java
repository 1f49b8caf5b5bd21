package dev.tally.ledger.merkle;

import dev.tally.core.error.StoreException;
import dev.tally.core.store.CheckpointRow;
import dev.tally.core.store.CheckpointStore;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.SignedNote;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The store's checkpoint rows as signed checkpoints. It is a convenience copy for serving proofs; the
 * trusted copy is the witness file outside the database. Thread-safe.
 */
final class CheckpointRows {
    private final CheckpointStore rows;

    CheckpointRows(CheckpointStore rows) {
        this.rows = rows;
    }

    /** Stores a checkpoint unless one of that size exists; returns whether it was stored. */
    boolean insert(SignedCheckpoint c) {
        return rows.insert(new CheckpointRow(c.size(), c.checkpoint().rootHash(), c.note(), c.createdAt()));
    }

    /** Replaces the row of {@code c}'s size if its note is still {@code expectedNote}. */
    boolean replace(SignedCheckpoint c, String expectedNote) {
        return rows.replace(
                new CheckpointRow(c.size(), c.checkpoint().rootHash(), c.note(), c.createdAt()), expectedNote);
    }

    /** Every stored row, smallest size first, unparsed: whoever uses one verifies its note first. */
    List<CheckpointRow> raw() {
        return rows.all();
    }

    /** The signing keys put in use, oldest first. */
    List<String> signingKeys() {
        return rows.signingKeys();
    }

    /** Records the key that signs from now on. */
    void recordSigningKey(String verifierKey, java.time.Instant at) {
        rows.recordSigningKey(verifierKey, at);
    }

    Optional<SignedCheckpoint> find(long size) {
        return rows.find(size).map(CheckpointRows::read);
    }

    Optional<SignedCheckpoint> latest() {
        return rows.latest().map(CheckpointRows::read);
    }

    /** Every checkpoint, smallest size first. */
    List<SignedCheckpoint> all() {
        return rows.all().stream().map(CheckpointRows::read).toList();
    }

    /**
     * A row as a checkpoint. The note is parsed, not verified (no key here); a row whose note does not hold
     * the row's size and root is reported as broken rather than served.
     */
    private static SignedCheckpoint read(CheckpointRow row) {
        long size = row.treeSize();
        Checkpoint c;
        try {
            c = Checkpoint.parse(SignedNote.parse(row.note()).text());
        } catch (RuntimeException e) {
            throw new StoreException(
                    "the stored checkpoint of size " + size + " is not a signed checkpoint: " + e.getMessage(), e);
        }
        if (c.size() != size || !Arrays.equals(c.rootHash(), row.rootHash())) {
            throw new StoreException("the stored checkpoint of size " + size + " does not match its note");
        }
        return new SignedCheckpoint(c, row.note(), row.createdAt());
    }
}
