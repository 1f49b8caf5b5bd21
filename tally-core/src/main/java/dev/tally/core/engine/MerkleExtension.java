package dev.tally.core.engine;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.verify.HashReader;
import dev.tally.verify.Hashes;
import dev.tally.verify.StoredHashes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the RFC 9162 Merkle tree over the ledger on the write path: for every batch it computes the
 * stored hashes (Go sumdb tlog layout) that the batch's entries add and writes them in the same
 * transaction. The leaf input of entry {@code seq} is its 32-byte {@code current_hash}; its leaf index is
 * {@code seq - 1}.
 *
 * <p>Appending leaf n only needs the hashes of the complete subtrees on the tree's right edge (at most
 * log2(n) of them), which this class keeps in memory, so an append costs the same at any ledger size.
 * After a rollback the cache is dropped and the right edge is read back from the store.
 */
public final class MerkleExtension implements BatchExtension {
    private final HashReader reader;
    private final Map<Long, byte[]> rightEdge = new HashMap<>();
    private long size = -1;

    /** @param reader reads committed stored hashes by index from the store */
    public MerkleExtension(HashReader reader) {
        this.reader = reader;
    }

    @Override
    public WriteSet extend(WriteSet batch) {
        if (batch.entries().isEmpty()) {
            return batch;
        }
        long n = sizeFor(batch.fromHead().seq());
        long first = StoredHashes.storedHashCount(n);
        Map<Long, byte[]> added = new HashMap<>();
        List<byte[]> hashes = new ArrayList<>();
        for (LedgerEntry e : batch.entries()) {
            if (e.seq() != n + 1) {
                throw new AssertionError(
                        "bad math in MerkleExtension: entry seq " + e.seq() + " appended to a tree of size " + n);
            }
            long index = StoredHashes.storedHashCount(n);
            for (byte[] h :
                    StoredHashes.appendHashes(n, Hashes.leafHash(e.currentHash().bytes()), i -> lookup(i, added))) {
                added.put(index++, h);
                hashes.add(h);
            }
            n++;
        }
        return batch.withTreeHashes(new WriteSet.TreeHashes(first, hashes));
    }

    @Override
    public void committed(WriteSet batch) {
        if (batch.treeHashes().isEmpty()) {
            return;
        }
        WriteSet.TreeHashes tree = batch.treeHashes().get();
        long index = tree.firstIndex();
        for (byte[] h : tree.hashes()) {
            rightEdge.put(index++, h);
        }
        size = batch.toHead().seq();
        rightEdge.keySet().retainAll(rightEdgeIndexes(size));
    }

    @Override
    public void invalidate() {
        rightEdge.clear();
        size = -1;
    }

    /**
     * The tree size the batch appends to: its entries follow the head it was decided on. When that is not
     * the size this extension last committed (first batch, or after another writer), the right edge is read
     * back from the store; if the head moved meanwhile, the commit fails with a version conflict anyway.
     */
    private long sizeFor(long committedEntries) {
        if (size != committedEntries) {
            rightEdge.clear();
            size = committedEntries;
            List<Long> indexes = new ArrayList<>(rightEdgeIndexes(size));
            long[] wanted = indexes.stream().mapToLong(Long::longValue).toArray();
            List<byte[]> found = wanted.length == 0 ? List.of() : reader.readHashes(wanted);
            for (int i = 0; i < wanted.length; i++) {
                rightEdge.put(wanted[i], found.get(i));
            }
        }
        return size;
    }

    private byte[] lookup(long index, Map<Long, byte[]> added) {
        byte[] h = added.get(index);
        if (h == null) {
            h = rightEdge.get(index);
        }
        if (h == null) {
            h = reader.readHashes(new long[] {index}).get(0);
        }
        return h;
    }

    /** Stored-hash indexes of the maximal complete subtrees of a tree of {@code n} leaves. */
    static java.util.Set<Long> rightEdgeIndexes(long n) {
        java.util.Set<Long> indexes = new java.util.HashSet<>();
        for (int level = 0; (n >> level) > 0; level++) {
            if (((n >> level) & 1) == 1) {
                indexes.add(StoredHashes.storedHashIndex(level, (n >> level) - 1));
            }
        }
        return indexes;
    }
}
