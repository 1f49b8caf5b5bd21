package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tlog stored-hash layout. */
class StoredHashesTest {
    @Test
    void storedHashIndexFollowsTlogWriteOrder() {
        // Write order: leaf0, leaf1, [0,2), leaf2, leaf3, [2,4), [0,4), leaf4
        assertThat(List.of(
                        StoredHashes.storedHashIndex(0, 0),
                        StoredHashes.storedHashIndex(0, 1),
                        StoredHashes.storedHashIndex(1, 0),
                        StoredHashes.storedHashIndex(0, 2),
                        StoredHashes.storedHashIndex(0, 3),
                        StoredHashes.storedHashIndex(1, 1),
                        StoredHashes.storedHashIndex(2, 0),
                        StoredHashes.storedHashIndex(0, 4)))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void storedHashCountOfSmallTreesMatchesTlog() {
        assertThat(List.of(
                        StoredHashes.storedHashCount(0),
                        StoredHashes.storedHashCount(1),
                        StoredHashes.storedHashCount(2),
                        StoredHashes.storedHashCount(3),
                        StoredHashes.storedHashCount(4),
                        StoredHashes.storedHashCount(5)))
                .containsExactly(0L, 1L, 3L, 4L, 7L, 8L);
    }

    @Test
    void appendingLeafThreeWritesLeafThenTheTwoSubtreesItCompletes() {
        MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES.subList(0, 3));
        byte[] leaf3 = Hashes.leafHash(MemoryLog.RFC_LEAVES.get(3));
        List<byte[]> hashes = StoredHashes.storedHashesForRecord(3, leaf3, log);

        byte[] pair23 = Hashes.nodeHash(log.stored.get(3), leaf3);
        assertThat(hashes).hasSize(3);
        assertThat(hashes.get(0)).isEqualTo(leaf3);
        assertThat(hashes.get(1)).isEqualTo(pair23);
        assertThat(hashes.get(2)).isEqualTo(Hashes.nodeHash(log.stored.get(2), pair23));
    }

    @Test
    void appendingAnEvenLeafReadsNothing() {
        List<byte[]> hashes = StoredHashes.appendHashes(4, Hashes.leafHash(new byte[0]), i -> {
            throw new AssertionError("read " + i);
        });
        assertThat(hashes).hasSize(1);
    }

    @Test
    void negativeCoordinatesAreOutOfRange() {
        assertThatThrownBy(() -> StoredHashes.storedHashIndex(0, -1))
                .isInstanceOfSatisfying(
                        ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.OUT_OF_RANGE));
        assertThatThrownBy(() -> StoredHashes.treeHash(-1, indexes -> List.of()))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void overflowingIndexIsOutOfRangeNotWrapped() {
        assertThatThrownBy(() -> StoredHashes.storedHashIndex(40, Long.MAX_VALUE >> 20))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("overflows");
    }

    @Test
    void leafHashOfWrongLengthIsMalformed() {
        assertThatThrownBy(() -> StoredHashes.appendHashes(0, new byte[31], i -> null))
                .isInstanceOfSatisfying(
                        ProofException.class, e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED));
    }
}
