package dev.tally.core.engine;

/**
 * Something the sequencer writes together with every batch, in the same database transaction (the Merkle
 * tree's stored hashes, for one). Called only from the sequencer's writer thread.
 */
public interface BatchExtension {
    /** The batch with this extension's rows added. Must not change what the batch already holds. */
    WriteSet extend(WriteSet batch);

    /** The extended batch is durable: advance in-memory state. */
    void committed(WriteSet batch);

    /** The batch was rolled back (or another process wrote): forget in-memory state and reload lazily. */
    void invalidate();
}
