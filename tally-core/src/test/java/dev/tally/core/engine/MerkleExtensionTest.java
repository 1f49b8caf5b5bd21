package dev.tally.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.verify.HashReader;
import dev.tally.verify.MerkleTree;
import dev.tally.verify.StoredHashes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The write path's Merkle tree: each batch adds exactly the stored hashes of an RFC 9162 tree over its entries. */
class MerkleExtensionTest {
    private static final UUID ALICE = UUID.fromString("00000000-0000-0000-0000-00000000a11c");
    private static final Instant T0 = Instant.parse("2026-02-11T14:23:00Z");

    /** The committed stored hashes, as a store keeps them; counts what is read back. */
    private static final class HashTable implements HashReader {
        final Map<Long, byte[]> hashes = new HashMap<>();
        int reads;

        @Override
        public List<byte[]> readHashes(long[] indexes) {
            reads++;
            List<byte[]> out = new ArrayList<>();
            for (long i : indexes) {
                byte[] h = hashes.get(i);
                if (h == null) {
                    throw new IllegalStateException("no stored hash at " + i);
                }
                out.add(h);
            }
            return out;
        }

        void store(WriteSet batch) {
            batch.treeHashes().ifPresent(tree -> {
                long index = tree.firstIndex();
                for (byte[] h : tree.hashes()) {
                    hashes.put(index++, h);
                }
            });
        }
    }

    private final HashTable table = new HashTable();
    private final List<LedgerEntry> chain = new ArrayList<>();

    @Test
    void batchesOfAnySizeBuildTheTreeOfTheWholeChain() {
        MerkleExtension merkle = new MerkleExtension(table);
        for (int size : new int[] {1, 2, 3, 1, 5, 8, 1, 4}) {
            commit(merkle, batch(size));
        }
        assertThat(chain).hasSize(25);
        assertThat(StoredHashes.treeHash(chain.size(), table)).isEqualTo(MerkleTree.root(leafInputs()));
    }

    @Test
    void theHashesOfABatchStartAtTheStoredHashCountOfTheTreeBeforeIt() {
        MerkleExtension merkle = new MerkleExtension(table);
        commit(merkle, batch(3));
        WriteSet next = merkle.extend(batch(2));
        WriteSet.TreeHashes tree = next.treeHashes().orElseThrow();
        assertThat(tree.firstIndex()).isEqualTo(StoredHashes.storedHashCount(3));
        assertThat(tree.firstIndex() + tree.hashes().size()).isEqualTo(StoredHashes.storedHashCount(5));
    }

    @Test
    void anEmptyBatchGetsNoTreeHashes() {
        MerkleExtension merkle = new MerkleExtension(table);
        WriteSet empty = write(List.of(), head(), head());
        assertThat(merkle.extend(empty)).isSameAs(empty);
        merkle.committed(empty);
        assertThat(table.reads).isZero();
    }

    @Test
    void appendingAfterACommitReadsNothingBack() {
        MerkleExtension merkle = new MerkleExtension(table);
        commit(merkle, batch(7));
        int reads = table.reads;
        commit(merkle, batch(6));
        commit(merkle, batch(1));
        assertThat(table.reads).isEqualTo(reads);
        assertThat(StoredHashes.treeHash(chain.size(), table)).isEqualTo(MerkleTree.root(leafInputs()));
    }

    @Test
    void afterARollbackTheRightEdgeIsReadBackFromTheStore() {
        MerkleExtension merkle = new MerkleExtension(table);
        commit(merkle, batch(6));
        merkle.extend(batch(2)); // never committed
        chain.subList(6, 8).clear();
        merkle.invalidate();
        int reads = table.reads;
        commit(merkle, batch(3));
        assertThat(table.reads).isGreaterThan(reads);
        assertThat(StoredHashes.treeHash(chain.size(), table)).isEqualTo(MerkleTree.root(leafInputs()));
    }

    @Test
    void aNewWriterContinuesATreeAnotherWriterStarted() {
        commit(new MerkleExtension(table), batch(11));
        commit(new MerkleExtension(table), batch(4));
        assertThat(StoredHashes.treeHash(chain.size(), table)).isEqualTo(MerkleTree.root(leafInputs()));
    }

    @Test
    void anEntryOutOfSequenceIsABugNotAnInput() {
        MerkleExtension merkle = new MerkleExtension(table);
        LedgerEntry stray = entry(5, Hash.ZERO);
        WriteSet bad = write(List.of(stray), ChainHead.GENESIS, new ChainHead(5, stray.currentHash()));
        assertThatThrownBy(() -> merkle.extend(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("entry seq 5");
    }

    @Test
    void theRightEdgeHasOneCompleteSubtreePerSetBitOfTheSize() {
        assertThat(MerkleExtension.rightEdgeIndexes(0)).isEmpty();
        assertThat(MerkleExtension.rightEdgeIndexes(1)).containsExactly(StoredHashes.storedHashIndex(0, 0));
        assertThat(MerkleExtension.rightEdgeIndexes(6))
                .containsExactlyInAnyOrder(StoredHashes.storedHashIndex(2, 0), StoredHashes.storedHashIndex(1, 2));
        assertThat(MerkleExtension.rightEdgeIndexes(13)).hasSize(Long.bitCount(13));
    }

    private void commit(MerkleExtension merkle, WriteSet batch) {
        WriteSet extended = merkle.extend(batch);
        table.store(extended);
        merkle.committed(extended);
    }

    /** The next {@code n} entries of the chain, as one batch. */
    private WriteSet batch(int n) {
        ChainHead from = head();
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entry(
                    chain.size() + 1,
                    chain.isEmpty() ? Hash.ZERO : chain.get(chain.size() - 1).currentHash());
            chain.add(e);
            entries.add(e);
        }
        return write(entries, from, head());
    }

    private ChainHead head() {
        return chain.isEmpty()
                ? ChainHead.GENESIS
                : new ChainHead(chain.size(), chain.get(chain.size() - 1).currentHash());
    }

    private List<byte[]> leafInputs() {
        return chain.stream().map(e -> e.currentHash().bytes()).toList();
    }

    private static LedgerEntry entry(long seq, Hash previous) {
        return LedgerEntry.sealed(
                seq,
                "mint-" + seq,
                EntryType.MINT,
                Optional.empty(),
                Optional.of(ALICE),
                "EUR",
                100,
                0,
                100,
                TaxKind.NONE,
                T0.plusSeconds(seq),
                EntryContext.actor("admin"),
                Optional.empty(),
                previous);
    }

    private static WriteSet write(List<LedgerEntry> entries, ChainHead from, ChainHead to) {
        return new WriteSet(
                entries, List.of(), Map.of(), Map.of(), Map.of(), from, to, Optional.empty(), Optional.empty());
    }
}
