package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Stored-hash proofs against the RFC 9162 reference model, and tamper rejection, on random trees. */
class MerkleProofProperties {
    /** A random tree of n distinct leaves (distinct so that no two subtrees share a hash). */
    record Tree(int n, long seed) {
        MemoryLog log() {
            Random random = new Random(seed);
            MemoryLog log = new MemoryLog();
            for (int i = 0; i < n; i++) {
                byte[] leaf = new byte[8 + random.nextInt(25)];
                random.nextBytes(leaf);
                ByteBuffer.wrap(leaf).putLong(i);
                log.append(leaf);
            }
            return log;
        }
    }

    /** Leaf index {@code m} (inclusion) or old size {@code m} (consistency) within a tree. */
    record Case(Tree tree, int m) {}

    @Provide
    Arbitrary<Case> leaves() {
        return Arbitraries.integers()
                .between(1, 2000)
                .flatMap(n -> Combinators.combine(
                                Arbitraries.longs(), Arbitraries.integers().between(0, n - 1))
                        .as((seed, m) -> new Case(new Tree(n, seed), m)));
    }

    @Provide
    Arbitrary<Case> prefixes() {
        return Arbitraries.integers()
                .between(1, 2000)
                .flatMap(n -> Combinators.combine(
                                Arbitraries.longs(), Arbitraries.integers().between(0, n))
                        .as((seed, m) -> new Case(new Tree(n, seed), m)));
    }

    @Property(tries = 200)
    void inclusionProofFromStoredHashesEqualsReferencePathAndVerifies(@ForAll("leaves") Case c) {
        MemoryLog log = c.tree().log();
        List<byte[]> proof = Proofs.proveInclusion(log.size(), c.m(), log);

        assertThat(proof)
                .usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(MerkleTree.inclusionPath(c.m(), log.leafInputs));
        assertThat(Proofs.verifyInclusion(
                        c.m(), log.size(), leafHash(log, c.m()), proof, MerkleTree.root(log.leafInputs)))
                .isTrue();
    }

    @Property(tries = 200)
    void consistencyProofFromStoredHashesEqualsReferenceProofAndVerifies(@ForAll("prefixes") Case c) {
        MemoryLog log = c.tree().log();
        List<byte[]> proof = Proofs.proveConsistency(c.m(), log.size(), log);

        assertThat(proof)
                .usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(MerkleTree.consistencyProof(c.m(), log.leafInputs));
        assertThat(Proofs.verifyConsistency(
                        c.m(), log.size(), MerkleTree.root(log.prefix(c.m())), MerkleTree.root(log.leafInputs), proof))
                .isTrue();
    }

    @Property(tries = 100)
    void treeHashFromStoredHashesEqualsReferenceRoot(@ForAll("prefixes") Case c) {
        MemoryLog log = c.tree().log();
        assertThat(StoredHashes.treeHash(c.m(), log)).isEqualTo(MerkleTree.root(log.prefix(c.m())));
    }

    @Property(tries = 200)
    void storedHashCountEqualsNumberOfHashesWritten(@ForAll("prefixes") Case c) {
        MemoryLog log = c.tree().log();
        assertThat(StoredHashes.storedHashCount(log.size())).isEqualTo(log.stored.size());
    }

    @Property(tries = 40)
    void everyBitFlipInInclusionProofRootOrLeafHashIsRejected(@ForAll("leaves") Case c) {
        Claim claim = Claim.inclusion(c);
        for (int node = 0; node < claim.proof.size(); node++) {
            for (int bit = 0; bit < 256; bit++) {
                assertThat(claim.withProofNode(node, flip(claim.proof.get(node), bit))
                                .verifyInclusion())
                        .isFalse();
            }
        }
        for (int bit = 0; bit < 256; bit++) {
            assertThat(claim.withNew(flip(claim.newRoot, bit)).verifyInclusion())
                    .isFalse();
            assertThat(claim.withOld(flip(claim.old, bit)).verifyInclusion()).isFalse();
        }
    }

    @Property(tries = 100)
    void inclusionIndexOrSizeBitFlipVerifiesOnlyWhenHashingPathIsUnchanged(@ForAll("leaves") Case c) {
        Claim claim = Claim.inclusion(c);
        List<String> shape = ProofShapes.inclusion(claim.m, claim.n);
        for (int bit = 0; bit < 64; bit++) {
            long m2 = claim.m ^ (1L << bit);
            long n2 = claim.n ^ (1L << bit);
            assertThat(claim.withSizes(m2, claim.n).verifyInclusion())
                    .as("index %d -> %d in size %d", claim.m, m2, claim.n)
                    .isEqualTo(shape.equals(ProofShapes.inclusion(m2, claim.n)));
            assertThat(claim.withSizes(claim.m, n2).verifyInclusion())
                    .as("index %d in size %d -> %d", claim.m, claim.n, n2)
                    .isEqualTo(shape.equals(ProofShapes.inclusion(claim.m, n2)));
        }
    }

    @Property(tries = 100)
    void addingOrRemovingAnInclusionNodeIsRejected(@ForAll("leaves") Case c) {
        Claim claim = Claim.inclusion(c);
        for (List<byte[]> proof : lengthMutations(claim.proof, c.tree().seed())) {
            assertThat(claim.withProof(proof).verifyInclusion()).isFalse();
        }
    }

    @Property(tries = 30)
    void everyBitFlipInConsistencyProofOrRootsIsRejected(@ForAll("prefixes") Case c) {
        Claim claim = Claim.consistency(c);
        for (int node = 0; node < claim.proof.size(); node++) {
            for (int bit = 0; bit < 256; bit++) {
                assertThat(claim.withProofNode(node, flip(claim.proof.get(node), bit))
                                .verifyConsistency())
                        .isFalse();
            }
        }
        for (int bit = 0; bit < 256; bit++) {
            assertThat(claim.withOld(flip(claim.old, bit)).verifyConsistency()).isFalse();
            if (claim.m > 0) { // the empty tree is a prefix of every tree: root2 is unconstrained (ProofsTest)
                assertThat(claim.withNew(flip(claim.newRoot, bit)).verifyConsistency())
                        .isFalse();
            }
        }
    }

    @Property(tries = 100)
    void consistencySizeBitFlipVerifiesOnlyWhenHashingPathIsUnchanged(@ForAll("prefixes") Case c) {
        Claim claim = Claim.consistency(c);
        List<String> shape = ProofShapes.consistency(claim.m, claim.n);
        for (int bit = 0; bit < 64; bit++) {
            long m2 = claim.m ^ (1L << bit);
            long n2 = claim.n ^ (1L << bit);
            assertThat(claim.withSizes(m2, claim.n).verifyConsistency())
                    .as("size1 %d -> %d, size2 %d", claim.m, m2, claim.n)
                    .isEqualTo(shape.equals(ProofShapes.consistency(m2, claim.n)));
            assertThat(claim.withSizes(claim.m, n2).verifyConsistency())
                    .as("size1 %d, size2 %d -> %d", claim.m, claim.n, n2)
                    .isEqualTo(shape.equals(ProofShapes.consistency(claim.m, n2)));
        }
    }

    @Property(tries = 100)
    void addingOrRemovingAConsistencyNodeIsRejected(@ForAll("prefixes") Case c) {
        Claim claim = Claim.consistency(c);
        for (List<byte[]> proof : lengthMutations(claim.proof, c.tree().seed())) {
            assertThat(claim.withProof(proof).verifyConsistency()).isFalse();
        }
    }

    @Property(tries = 100)
    void swappingConsistencyRootsIsRejected(@ForAll("prefixes") Case c) {
        Claim claim = Claim.consistency(c);
        boolean rootsDiffer = !Arrays.equals(claim.old, claim.newRoot);
        assertThat(Proofs.verifyConsistency(claim.m, claim.n, claim.newRoot, claim.old, claim.proof))
                .isEqualTo(!rootsDiffer);
    }

    /**
     * A claim: for inclusion (m = leaf index, n = tree size, old = leaf hash, newRoot = root);
     * for consistency (m = size1, n = size2, old = root1, newRoot = root2).
     */
    record Claim(long m, long n, byte[] old, byte[] newRoot, List<byte[]> proof) {
        static Claim inclusion(Case c) {
            MemoryLog log = c.tree().log();
            return new Claim(
                    c.m(),
                    log.size(),
                    leafHash(log, c.m()),
                    StoredHashes.treeHash(log.size(), log),
                    Proofs.proveInclusion(log.size(), c.m(), log));
        }

        static Claim consistency(Case c) {
            MemoryLog log = c.tree().log();
            return new Claim(
                    c.m(),
                    log.size(),
                    StoredHashes.treeHash(c.m(), log),
                    StoredHashes.treeHash(log.size(), log),
                    Proofs.proveConsistency(c.m(), log.size(), log));
        }

        boolean verifyInclusion() {
            return Proofs.verifyInclusion(m, n, old, proof, newRoot);
        }

        boolean verifyConsistency() {
            return Proofs.verifyConsistency(m, n, old, newRoot, proof);
        }

        Claim withSizes(long m2, long n2) {
            return new Claim(m2, n2, old, newRoot, proof);
        }

        Claim withOld(byte[] old2) {
            return new Claim(m, n, old2, newRoot, proof);
        }

        Claim withNew(byte[] new2) {
            return new Claim(m, n, old, new2, proof);
        }

        Claim withProof(List<byte[]> proof2) {
            return new Claim(m, n, old, newRoot, proof2);
        }

        Claim withProofNode(int i, byte[] node) {
            List<byte[]> p = new ArrayList<>(proof);
            p.set(i, node);
            return withProof(p);
        }
    }

    /** Every removal of one node, insertion of a random or repeated node at every position. */
    static List<List<byte[]>> lengthMutations(List<byte[]> proof, long seed) {
        Random random = new Random(seed);
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> p = new ArrayList<>(proof);
            p.remove(i);
            out.add(p);
        }
        for (int i = 0; i <= proof.size(); i++) {
            byte[] randomNode = new byte[32];
            random.nextBytes(randomNode);
            List<byte[]> p = new ArrayList<>(proof);
            p.add(i, randomNode);
            out.add(p);
            if (!proof.isEmpty()) {
                List<byte[]> q = new ArrayList<>(proof);
                q.add(i, proof.get(Math.min(i, proof.size() - 1)));
                out.add(q);
            }
        }
        return out;
    }

    static byte[] leafHash(MemoryLog log, long index) {
        return Hashes.leafHash(Objects.requireNonNull(log.leafInputs.get((int) index)));
    }

    static byte[] flip(byte[] bytes, int bit) {
        byte[] copy = bytes.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
