package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases of proof construction and RFC 9162 verification. */
class ProofsTest {
    private final MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES);
    private final byte[] root8 = StoredHashes.treeHash(8, log);
    private final byte[] root5 = StoredHashes.treeHash(5, log);

    @Test
    void consistencyBetweenEqualSizesWithEmptyProofAndEqualRootsIsValid() {
        assertThat(Proofs.verifyConsistency(8, 8, root8, root8, List.of())).isTrue();
    }

    @Test
    void consistencyBetweenEqualSizesWithDifferentRootsIsInvalid() {
        assertThat(Proofs.verifyConsistency(8, 8, root5, root8, List.of())).isFalse();
    }

    @Test
    void consistencyBetweenEqualSizesWithNonEmptyProofIsInvalid() {
        assertThat(Proofs.verifyConsistency(8, 8, root8, root8, List.of(root5))).isFalse();
    }

    @Test
    void consistencyFromEmptyTreeWithEmptyProofAndEmptyRootIsValidForAnyRoot2() {
        assertThat(Proofs.verifyConsistency(0, 8, Hashes.emptyRoot(), root8, List.of()))
                .isTrue();
        assertThat(Proofs.verifyConsistency(0, 5, Hashes.emptyRoot(), root8, List.of()))
                .isTrue();
    }

    @Test
    void consistencyFromEmptyTreeWithNonEmptyProofIsInvalid() {
        assertThat(Proofs.verifyConsistency(0, 8, Hashes.emptyRoot(), root8, List.of(root8)))
                .isFalse();
    }

    @Test
    void consistencyFromEmptyTreeRequiresTheEmptyRootAsRoot1() {
        assertThat(Proofs.verifyConsistency(0, 8, root5, root8, List.of())).isFalse();
    }

    @Test
    void consistencyFromLargerToSmallerTreeIsInvalid() {
        assertThat(Proofs.verifyConsistency(8, 5, root8, root5, Proofs.proveConsistency(5, 8, log)))
                .isFalse();
    }

    @Test
    void consistencyWithEmptyProofBetweenDifferentNonZeroSizesIsInvalid() {
        assertThat(Proofs.verifyConsistency(4, 8, StoredHashes.treeHash(4, log), root8, List.of()))
                .isFalse();
    }

    @Test
    void consistencyWithNegativeSizeIsInvalid() {
        assertThat(Proofs.verifyConsistency(-1, 8, root5, root8, List.of())).isFalse();
    }

    @Test
    void inclusionWithIndexEqualToSizeIsInvalid() {
        assertThat(Proofs.verifyInclusion(8, 8, leafHash(7), Proofs.proveInclusion(8, 7, log), root8))
                .isFalse();
    }

    @Test
    void inclusionWithNegativeIndexIsInvalid() {
        assertThat(Proofs.verifyInclusion(-1, 8, leafHash(0), Proofs.proveInclusion(8, 0, log), root8))
                .isFalse();
    }

    @Test
    void inclusionWithShortLeafHashIsInvalidRatherThanAnError() {
        assertThat(Proofs.verifyInclusion(
                        0, 8, Arrays.copyOf(leafHash(0), 31), Proofs.proveInclusion(8, 0, log), root8))
                .isFalse();
    }

    @Test
    void inclusionWithNullProofOrNullNodeIsInvalid() {
        List<byte[]> withNull = new ArrayList<>(Proofs.proveInclusion(8, 0, log));
        withNull.set(1, null);
        assertThat(Proofs.verifyInclusion(0, 8, leafHash(0), null, root8)).isFalse();
        assertThat(Proofs.verifyInclusion(0, 8, leafHash(0), withNull, root8)).isFalse();
    }

    @Test
    void inclusionInSingleLeafTreeHasEmptyProofAndRootEqualToLeafHash() {
        assertThat(Proofs.proveInclusion(1, 0, log)).isEmpty();
        assertThat(Proofs.verifyInclusion(0, 1, leafHash(0), List.of(), leafHash(0)))
                .isTrue();
    }

    @Test
    void proveInclusionRejectsIndexOutsideTree() {
        assertThatThrownBy(() -> Proofs.proveInclusion(8, 8, log))
                .isInstanceOfSatisfying(
                        ProofException.class, e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.OUT_OF_RANGE))
                .hasMessageContaining("leaf index 8");
    }

    @Test
    void proveConsistencyRejectsSize1AboveSize2() {
        assertThatThrownBy(() -> Proofs.proveConsistency(5, 4, log)).isInstanceOf(ProofException.class);
    }

    @Test
    void proveConsistencyFromEmptyOrEqualSizeIsEmptyWithoutReading() {
        HashReader refuse = indexes -> {
            throw new AssertionError("must not read");
        };
        assertThat(Proofs.proveConsistency(0, 8, refuse)).isEmpty();
        assertThat(Proofs.proveConsistency(8, 8, refuse)).isEmpty();
    }

    @Test
    void proofConstructionReadsTheStoreOnceWithLogarithmicallyManyIndexes() {
        MemoryLog big = new MemoryLog();
        for (int i = 0; i < 1000; i++) {
            big.append(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        List<Integer> batchSizes = new ArrayList<>();
        HashReader counting = indexes -> {
            batchSizes.add(indexes.length);
            return big.readHashes(indexes);
        };
        Proofs.proveInclusion(1000, 617, counting);
        Proofs.proveConsistency(377, 1000, counting);
        assertThat(batchSizes).hasSize(2).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2 * 10));
    }

    @Test
    void readerReturningTooFewHashesIsReportedAsBrokenReader() {
        assertThatThrownBy(() -> Proofs.proveInclusion(8, 3, indexes -> List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HashReader returned 0 hashes");
    }

    @Test
    void everyInclusionProofInSmallTreesEqualsReferencePathAndVerifies() {
        MemoryLog small = new MemoryLog();
        for (int n = 1; n <= 64; n++) {
            small.append(new byte[] {(byte) n});
            byte[] root = StoredHashes.treeHash(n, small);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = Proofs.proveInclusion(n, m, small);
                assertThat(proof)
                        .usingElementComparator(Arrays::compare)
                        .containsExactlyElementsOf(MerkleTree.inclusionPath(m, small.leafInputs));
                assertThat(Proofs.verifyInclusion(m, n, Hashes.leafHash(small.leafInputs.get(m)), proof, root))
                        .isTrue();
            }
        }
    }

    @Test
    void everyConsistencyProofInSmallTreesEqualsReferenceProofAndVerifies() {
        MemoryLog small = new MemoryLog();
        for (int n = 1; n <= 64; n++) {
            small.append(new byte[] {(byte) n});
            byte[] root2 = StoredHashes.treeHash(n, small);
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = Proofs.proveConsistency(m, n, small);
                assertThat(proof)
                        .usingElementComparator(Arrays::compare)
                        .containsExactlyElementsOf(MerkleTree.consistencyProof(m, small.leafInputs));
                assertThat(Proofs.verifyConsistency(m, n, StoredHashes.treeHash(m, small), root2, proof))
                        .isTrue();
            }
        }
    }

    private byte[] leafHash(int i) {
        return Hashes.leafHash(MemoryLog.RFC_LEAVES.get(i));
    }
}
