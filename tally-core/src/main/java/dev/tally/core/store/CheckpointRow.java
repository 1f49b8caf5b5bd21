package dev.tally.core.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stored checkpoint as the store keeps it: a signed tree size, the root it signs, and the whole signed
 * note. The store checks nothing about the note; whoever reads the row parses and verifies it.
 *
 * @param treeSize the number of entries the checkpoint covers
 * @param rootHash the RFC 9162 root of that tree, 32 bytes
 * @param note the C2SP signed note, as published
 * @param createdAt when the checkpoint was taken
 */
public record CheckpointRow(long treeSize, byte[] rootHash, String note, Instant createdAt) {
    public CheckpointRow {
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
        rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointRow r
                && treeSize == r.treeSize
                && Arrays.equals(rootHash, r.rootHash)
                && note.equals(r.note)
                && createdAt.equals(r.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(treeSize, Arrays.hashCode(rootHash), note, createdAt);
    }

    @Override
    public String toString() {
        return "CheckpointRow[treeSize=" + treeSize + ", createdAt=" + createdAt + "]";
    }
}
