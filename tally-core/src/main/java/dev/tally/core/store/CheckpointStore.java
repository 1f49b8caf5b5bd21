package dev.tally.core.store;

import java.util.List;
import java.util.Optional;

/**
 * The signed checkpoints kept beside the ledger: a convenience copy for serving proofs (the trusted copy is
 * the witness file outside the database). At most one row per tree size. Thread-safe.
 */
public interface CheckpointStore {
    /** Stores a checkpoint unless one of that size exists; returns whether it was stored. */
    boolean insert(CheckpointRow checkpoint);

    /** The checkpoint of exactly {@code treeSize} entries. */
    Optional<CheckpointRow> find(long treeSize);

    /** The checkpoint of the largest tree size. */
    Optional<CheckpointRow> latest();

    /** Every checkpoint, smallest tree size first. */
    List<CheckpointRow> all();
}
