package dev.tally.core.store;

import java.time.Instant;
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

    /**
     * Replaces the row of {@code checkpoint}'s tree size if its note is still {@code expectedNote}; returns
     * whether it did. For a row the signing key does not verify (forged, or by another key).
     */
    boolean replace(CheckpointRow checkpoint, String expectedNote);

    /** The checkpoint signing keys (verifier key texts) in the order they were put in use, oldest first. */
    List<String> signingKeys();

    /** Records {@code verifierKey} as the checkpoint signing key from now on. */
    void recordSigningKey(String verifierKey, Instant at);
}
