package dev.tally.verify;

import static dev.tally.verify.MemoryLog.RFC_LEAVES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass root equals the RFC 9162 reference root at every size. */
class CompactRangeTest {
    @Test
    void rootAfterEachReferenceLeafIsThePublishedRoot() {
        CompactRange range = new CompactRange();
        assertThat(Hashes.toHex(range.root())).isEqualTo(ReferenceTreeTest.ROOTS.get(0));
        for (int i = 0; i < RFC_LEAVES.size(); i++) {
            range.appendLeaf(RFC_LEAVES.get(i));
            assertThat(range.size()).isEqualTo(i + 1);
            assertThat(Hashes.toHex(range.root())).as("size %d", i + 1).isEqualTo(ReferenceTreeTest.ROOTS.get(i + 1));
        }
    }

    @Test
    void rootEqualsReferenceModelForEverySizeUpTo600() {
        Random random = new Random(7);
        List<byte[]> leaves = new ArrayList<>();
        CompactRange range = new CompactRange();
        for (int n = 1; n <= 600; n++) {
            byte[] leaf = new byte[1 + random.nextInt(40)];
            random.nextBytes(leaf);
            leaves.add(leaf);
            range.appendLeafHash(Hashes.leafHash(leaf));
            assertThat(range.root()).as("size %d", n).isEqualTo(MerkleTree.root(leaves));
        }
    }
}
