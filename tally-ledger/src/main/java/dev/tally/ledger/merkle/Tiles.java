package dev.tally.ledger.merkle;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import dev.tally.verify.StoredHashes;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The ledger as a C2SP tlog-tiles tree: hash tiles read from the stored tree (a tile hash at level
 * {@code L} is the stored hash of the {@code 2^(8L)} leaves it covers, so a tile is one batched read), and
 * entry bundles built from the entries. Only what the newest signed checkpoint covers is served: a client
 * verifies a tile against a checkpoint, so a tile beyond it would be unverifiable. Thread-safe; reads only.
 */
public final class Tiles {
    private final LedgerStore store;
    private final MerkleLog log;

    /** The tiles of the ledger in {@code store}. */
    public Tiles(LedgerStore store) {
        this.store = store;
        this.log = new MerkleLog(store);
    }

    /** The newest signed checkpoint: the tree the tiles are served for. */
    public Optional<SignedCheckpoint> checkpoint() {
        return log.latestCheckpoint();
    }

    /** The tile's bytes, when the newest checkpoint's tree holds it. */
    public Optional<byte[]> read(TilePath tile) {
        long size = checkpoint().map(SignedCheckpoint::size).orElse(0L);
        return read(tile, size);
    }

    /** The tile's bytes, when the tree of {@code treeSize} entries holds it ({@code treeSize} ≤ the stored tree). */
    public Optional<byte[]> read(TilePath tile, long treeSize) {
        if (tile.requiredTreeSize() > treeSize) {
            return Optional.empty();
        }
        return Optional.of(
                switch (tile.kind()) {
                    case HASHES -> hashes(tile);
                    case ENTRIES, CANONICAL -> bundle(tile);
                });
    }

    private byte[] hashes(TilePath tile) {
        int level = 8 * tile.level();
        long first = tile.index() * TilePath.FULL;
        long[] indexes = new long[tile.width()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = StoredHashes.storedHashIndex(level, first + i);
        }
        byte[] out = new byte[32 * indexes.length];
        int at = 0;
        for (byte[] h : store.readTreeHashes(indexes)) {
            if (h.length != 32) {
                throw new StoreException("a stored tree hash of " + store.describe() + " is not 32 bytes");
            }
            System.arraycopy(h, 0, out, at, 32);
            at += 32;
        }
        if (at != out.length) {
            throw new StoreException("the stored tree of " + store.describe() + " lacks hashes of " + tile.path());
        }
        return out;
    }

    /**
     * Entries as the spec frames them: each a big-endian uint16 length, then its bytes. A tile's leaf
     * {@code i} is the entry at {@code seq = i + 1}.
     */
    private byte[] bundle(TilePath tile) {
        long fromSeq = tile.index() * TilePath.FULL + 1;
        long toSeq = fromSeq + tile.width() - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(tile.width() * 34);
        long[] expected = {fromSeq};
        store.streamEntries(fromSeq, toSeq, e -> {
            if (e.seq() != expected[0]) {
                throw new StoreException("entry #" + expected[0] + " is missing from " + store.describe());
            }
            expected[0]++;
            byte[] record = record(tile.kind(), e);
            out.write(record.length >>> 8);
            out.write(record.length & 0xff);
            out.write(record, 0, record.length);
            return true;
        });
        if (expected[0] != toSeq + 1) {
            throw new StoreException("entries up to #" + toSeq + " are missing from " + store.describe());
        }
        return out.toByteArray();
    }

    private static byte[] record(TilePath.Kind kind, LedgerEntry e) {
        byte[] record = kind == TilePath.Kind.ENTRIES ? e.currentHash().bytes() : CanonicalEncoding.encode(e);
        if (record.length > 0xffff) {
            // Cannot happen: every string field of an entry is bounded far below this.
            throw new IllegalStateException("entry #" + e.seq() + " encodes to more than 65535 bytes");
        }
        return record;
    }
}
