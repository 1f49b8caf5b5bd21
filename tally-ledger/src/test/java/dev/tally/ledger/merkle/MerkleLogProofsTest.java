package dev.tally.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.ConsistencyProof;
import dev.tally.verify.Hashes;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.MerkleTree;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.ProofCheck;
import dev.tally.verify.ProofDocument;
import dev.tally.verify.ProofJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property: every inclusion and consistency proof the store serves, at random sizes of one ledger of a few
 * thousand entries, verifies with the standalone verifier (through its JSON form, as a client gets it)
 * and equals the RFC 9162 reference proof; every single-bit change to a proof node, root or leaf hash is
 * rejected, and so is every single-bit change to a size that a signed checkpoint vouches for. A changed
 * leaf index or old size (which no checkpoint binds) is rejected unless it leaves the hashing path's shape
 * unchanged, exactly as RFC 9162 allows (see {@code dev.tally.verify.Proofs}).
 */
class MerkleLogProofsTest {
    private static final int ENTRIES = 2500;
    private static final int CASES = 120;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyServedProofVerifiesAndEveryBitFlipIsRejected(StoreKind kind) {
        Random random = new Random(kind.ordinal() * 7919L + 4);
        try (Ledger ledger = build(kind)) {
            MerkleLog log = ledger.log().merkleLog();
            assertThat(log.size()).isEqualTo(ENTRIES);
            List<byte[]> leaves = new ArrayList<>();
            LedgerInternals.store(ledger)
                    .streamEntries(1, ENTRIES, e -> leaves.add(e.currentHash().bytes()));

            NoteSigner.KeyPairText keys = NoteSigner.generate("tally.test/proofs");
            Checkpointer signer = new Checkpointer(
                    LedgerInternals.store(ledger),
                    NoteSigner.fromSignerKey(keys.signerKey()),
                    Optional.empty(),
                    Clock.systemUTC());
            assertThat(signer.checkpoint().size()).isEqualTo(ENTRIES);

            TreeSet<Long> sizes = new TreeSet<>();
            for (int i = 0; i < CASES; i++) {
                sizes.add(1 + (long) random.nextInt(ENTRIES));
            }
            for (long size : sizes) {
                long leaf = random.nextInt((int) size);
                InclusionProof inclusion = log.inclusionProof(leaf, size);
                assertThat(inclusion.proof())
                        .usingElementComparator(java.util.Arrays::compare)
                        .containsExactlyElementsOf(MerkleTree.inclusionPath((int) leaf, leaves.subList(0, (int) size)));
                assertThat(inclusion.root()).isEqualTo(MerkleTree.root(leaves.subList(0, (int) size)));
                assertVerifiesAndRejectsFlips(inclusion, random);

                long size1 = random.nextInt((int) size + 1);
                ConsistencyProof consistency = log.consistencyProof(size1, size);
                assertThat(consistency.proof())
                        .usingElementComparator(java.util.Arrays::compare)
                        .containsExactlyElementsOf(
                                MerkleTree.consistencyProof((int) size1, leaves.subList(0, (int) size)));
                assertVerifiesAndRejectsFlips(consistency, random);
            }

            // Against the signed size, the checkpoint binds treeSize/size2: every flip of it is rejected.
            String vkey = keys.verifierKey();
            InclusionProof signedInclusion = log.inclusionProof(random.nextInt(ENTRIES), ENTRIES);
            assertThat(signedInclusion.checkpoint()).isPresent();
            assertThat(check(signedInclusion.toJson(), vkey)).isEqualTo(ProofCheck.VALID);
            ConsistencyProof signedConsistency = log.consistencyProof(1 + random.nextInt(ENTRIES - 1), ENTRIES);
            assertThat(check(signedConsistency.toJson(), vkey)).isEqualTo(ProofCheck.VALID);
            for (int bit = 0; bit < 63; bit++) {
                long flipped = ENTRIES ^ (1L << bit);
                InclusionProof i = signedInclusion;
                assertThat(check(
                                new InclusionProof(
                                                i.leafIdx(), flipped, i.root(), i.leafHash(), i.proof(), i.checkpoint())
                                        .toJson(),
                                vkey))
                        .as("treeSize %d", flipped)
                        .isEqualTo(ProofCheck.INVALID);
                ConsistencyProof c = signedConsistency;
                assertThat(check(
                                new ConsistencyProof(
                                                c.size1(), flipped, c.root1(), c.root2(), c.proof(), c.checkpoint())
                                        .toJson(),
                                vkey))
                        .as("size2 %d", flipped)
                        .isEqualTo(ProofCheck.INVALID);
            }
        }
    }

    private static void assertVerifiesAndRejectsFlips(ProofDocument doc, Random random) {
        ProofDocument parsed = ProofJson.parse(doc.toJson());
        assertThat(parsed).isEqualTo(doc);
        assertThat(parsed.verify()).as("%s", doc.describe()).isTrue();
        switch (parsed) {
            case InclusionProof p -> {
                for (int node = 0; node < p.proof().size(); node++) {
                    List<byte[]> proof = new ArrayList<>(p.proof());
                    proof.set(node, flip(proof.get(node), random.nextInt(256)));
                    assertThat(new InclusionProof(p.leafIdx(), p.treeSize(), p.root(), p.leafHash(), proof).verify())
                            .isFalse();
                }
                assertThat(new InclusionProof(
                                        p.leafIdx(),
                                        p.treeSize(),
                                        flip(p.root(), random.nextInt(256)),
                                        p.leafHash(),
                                        p.proof())
                                .verify())
                        .isFalse();
                assertThat(new InclusionProof(
                                        p.leafIdx(),
                                        p.treeSize(),
                                        p.root(),
                                        flip(p.leafHash(), random.nextInt(256)),
                                        p.proof())
                                .verify())
                        .isFalse();
                for (int bit = 0; bit < 63; bit++) {
                    long index = p.leafIdx() ^ (1L << bit);
                    boolean sameShape =
                            index < p.treeSize() && shape(index, p.treeSize()).equals(shape(p.leafIdx(), p.treeSize()));
                    assertThat(new InclusionProof(index, p.treeSize(), p.root(), p.leafHash(), p.proof()).verify())
                            .as("leaf %d -> %d in %d", p.leafIdx(), index, p.treeSize())
                            .isEqualTo(sameShape);
                }
            }
            case ConsistencyProof p -> {
                for (int node = 0; node < p.proof().size(); node++) {
                    List<byte[]> proof = new ArrayList<>(p.proof());
                    proof.set(node, flip(proof.get(node), random.nextInt(256)));
                    assertThat(new ConsistencyProof(p.size1(), p.size2(), p.root1(), p.root2(), proof).verify())
                            .isFalse();
                }
                assertThat(new ConsistencyProof(
                                        p.size1(),
                                        p.size2(),
                                        flip(p.root1(), random.nextInt(256)),
                                        p.root2(),
                                        p.proof())
                                .verify())
                        .isFalse();
                if (p.size1() > 0) { // the empty tree is a prefix of every tree: root2 is then unconstrained
                    assertThat(new ConsistencyProof(
                                            p.size1(),
                                            p.size2(),
                                            p.root1(),
                                            flip(p.root2(), random.nextInt(256)),
                                            p.proof())
                                    .verify())
                            .isFalse();
                }
            }
        }
    }

    /**
     * The left/right sequence of an inclusion proof's nodes (RFC 9162 §2.1.3.2 step 4): two indexes with the
     * same shape in one tree hash a path identically, so their proofs are interchangeable.
     */
    private static List<Character> shape(long index, long size) {
        List<Character> out = new ArrayList<>();
        long fn = index;
        long sn = size - 1;
        while (sn != 0) {
            if ((fn & 1) == 1 || fn == sn) {
                out.add('L');
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                out.add('R');
            }
            fn >>= 1;
            sn >>= 1;
        }
        return out;
    }

    private static int check(String json, String vkey) {
        return ProofCheck.check(
                json, Optional.of(vkey), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static byte[] flip(byte[] bytes, int bit) {
        byte[] copy = bytes.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    /** A ledger of {@value #ENTRIES} entries: one mint, then transfers in batches of 500. */
    private static Ledger build(StoreKind kind) {
        Ledger ledger = TestStores.freshLedger(kind);
        EntryContext ctx = EntryContext.actor("test");
        Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
        Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
        ledger.mint("m", a.id(), ledger.money("100000.00", "EUR"), ctx);
        for (int done = 1; done < ENTRIES; ) {
            List<Command> batch = new ArrayList<>();
            for (int i = 0; i < 500 && done < ENTRIES; i++, done++) {
                batch.add(new Command.Payment(
                        "t" + done, EntryType.TRANSFER, a.id(), b.id(), ledger.money("0.01", "EUR"), ctx));
            }
            ledger.submitAll(batch).join().forEach(o -> assertThat(o.ok()).isTrue());
        }
        assertThat(Hashes.isHash(ledger.log().merkleLog().root(ENTRIES))).isTrue();
        return ledger;
    }
}
