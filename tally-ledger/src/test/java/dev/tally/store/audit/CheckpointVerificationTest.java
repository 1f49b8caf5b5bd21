package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.ledger.EntryHasher;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.merkle.Checkpointer;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.Hashes;
import dev.tally.verify.StoredHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code verify --checkpoints}: an attacker with database access who rewrites history and recomputes every
 * hash, or deletes the newest entries and fixes the chain head, passes the chain check but not the signed
 * checkpoints in the witness file; a forged checkpoint fails its signature. Checkpoints are signed at 10,
 * 20 and 30 entries of the fixture ledger.
 */
class CheckpointVerificationTest {
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedLedgerMatchesEveryCheckpointFullyAndIncrementally(StoreKind kind) throws IOException {
        try (Signed s = Signed.of(kind)) {
            VerificationReport full = s.verify(VerifyOptions.Mode.FULL);
            assertThat(full.findings()).isEmpty();
            assertThat(full.valid()).isTrue();
            VerificationReport incremental = s.verify(VerifyOptions.Mode.INCREMENTAL);
            assertThat(incremental.findings()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rewritingAnEntryAndRecomputingEveryHashAfterItIsACheckpointMismatch(StoreKind kind) throws IOException {
        try (Signed s = Signed.of(kind)) {
            s.rewriteFrom(15, "10.6.6.6");

            VerificationReport chainOnly = s.f.ledger.audit().verifyChainIntegrity(VerifyOptions.full());
            assertThat(chainOnly.valid())
                    .as("the chain alone cannot see it: %s", chainOnly.findings())
                    .isTrue();

            VerificationReport full = s.verify(VerifyOptions.Mode.FULL);
            assertThat(full.valid()).isFalse();
            assertThat(full.findings())
                    .extracting(Finding::type)
                    .containsExactly(FindingType.CHECKPOINT_MISMATCH, FindingType.CHECKPOINT_MISMATCH);
            assertThat(full.findings()).extracting(f -> f.seq().getAsLong()).containsExactly(20L, 30L);
            assertThat(full.firstError().orElseThrow().message())
                    .contains("The first 20 transactions do not match checkpoint 2");
            assertThat(full.toMap()).containsEntry("error_type", "CHECKPOINT_MISMATCH");

            VerificationReport incremental = s.verify(VerifyOptions.Mode.INCREMENTAL);
            assertThat(incremental.findings()).extracting(Finding::type).contains(FindingType.CHECKPOINT_MISMATCH);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deletingTheNewestEntriesAndFixingTheChainHeadIsTruncated(StoreKind kind) throws IOException {
        try (Signed s = Signed.of(kind)) {
            LedgerEntry newest = s.f.entry(25);
            s.f.sql("DELETE FROM ledger_entries WHERE seq > 25");
            s.f.sql("DELETE FROM merkle_hashes WHERE idx >= ?", StoredHashes.storedHashCount(25));
            s.f.sql("UPDATE chain_head SET seq = 25, hash = ? WHERE id = 1", (Object)
                    newest.currentHash().bytes());

            assertThat(s.f.ledger
                            .audit()
                            .verifyChainIntegrity(VerifyOptions.full().withAnchorKey(IncrementalVerificationTest.KEY))
                            .valid())
                    .as("the chain alone")
                    .isTrue();

            VerificationReport full = s.verify(VerifyOptions.Mode.FULL);
            assertThat(full.findings()).extracting(Finding::type).containsExactly(FindingType.TRUNCATED);
            Finding f = full.findings().get(0);
            assertThat(f.index()).hasValue(25);
            assertThat(f.message()).contains("holds 25 transactions", "signed at size 30", "#26 to #30 were deleted");
            // Incremental, from the chain-only run above (which passed and so anchors at #25): still truncated.
            assertThat(s.verify(VerifyOptions.Mode.INCREMENTAL).findings())
                    .extracting(Finding::type)
                    .containsExactly(FindingType.TRUNCATED);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedCheckpointLineIsABadSignature(StoreKind kind) throws IOException {
        try (Signed s = Signed.of(kind)) {
            List<String> lines = new ArrayList<>(Files.readAllLines(s.witness));
            // The second note's root line: note 1 is 5 lines and a blank line follows it.
            String forgedRoot = Hashes.toBase64(new byte[32]);
            assertThat(lines.get(7)).isEqualTo("20");
            lines.set(8, forgedRoot);
            Files.write(s.witness, lines);

            VerificationReport r = s.verify(VerifyOptions.Mode.FULL);
            assertThat(r.findings()).extracting(Finding::type).containsExactly(FindingType.BAD_SIGNATURE);
            assertThat(r.findings().get(0).message()).startsWith("Checkpoint 2 of " + s.witness.getFileName());
            assertThat(s.verify(VerifyOptions.Mode.INCREMENTAL).findings())
                    .extracting(Finding::type)
                    .containsExactly(FindingType.BAD_SIGNATURE);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRewrittenStoredTreeIsAMerkleTreeMismatchWhileTheEntriesStillMatch(StoreKind kind) throws IOException {
        try (Signed s = Signed.of(kind)) {
            // The stored root of 30 leaves reads the subtree of leaves 0..15 (RFC 9162: MTH(D[0:16]) : MTH(D[16:30])).
            s.f.sql(
                    "UPDATE merkle_hashes SET hash = ? WHERE idx = ?",
                    new byte[32],
                    StoredHashes.storedHashIndex(4, 0));

            VerificationReport r = s.verify(VerifyOptions.Mode.FULL);
            assertThat(r.findings()).extracting(Finding::type).containsExactly(FindingType.MERKLE_TREE_MISMATCH);
        }
    }

    /** The fixture ledger of 30 entries with checkpoints signed at 10, 20 and 30 into a witness file. */
    private static final class Signed implements AutoCloseable {
        final AuditFixture f;
        final Path witness;
        final CheckpointCheck check;

        private Signed(AuditFixture f, Path witness, CheckpointCheck check) {
            this.f = f;
            this.witness = witness;
            this.check = check;
        }

        static Signed of(StoreKind kind) throws IOException {
            Path dir = Files.createTempDirectory("tally-keys-");
            SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/ledger");
            Path witness = dir.resolve("witness.txt");
            AuditFixture f = AuditFixture.of(kind, 10);
            Checkpointer checkpointer = new Checkpointer(
                    LedgerInternals.store(f.ledger),
                    SignerKeys.loadSigner(keys.privateKey()),
                    Optional.of(witness),
                    Clock.systemUTC());
            checkpointer.checkpoint();
            f.append(10);
            checkpointer.checkpoint();
            f.append(10);
            checkpointer.checkpoint();
            CheckpointCheck check = new CheckpointCheck(
                    SignerKeys.loadVerifier(keys.publicKey()),
                    WitnessFile.read(witness),
                    witness.getFileName().toString());
            assertThat(check.notes()).hasSize(3);
            // A successful run anchors incremental verification.
            assertThat(f.ledger
                            .audit()
                            .verifyChainIntegrity(VerifyOptions.full().withAnchorKey(IncrementalVerificationTest.KEY))
                            .valid())
                    .isTrue();
            return new Signed(f, witness, check);
        }

        VerificationReport verify(VerifyOptions.Mode mode) {
            CheckpointCheck current = new CheckpointCheck(check.key(), WitnessFile.read(witness), check.source());
            return f.ledger
                    .audit()
                    .verifyChainIntegrity(VerifyOptions.full()
                            .withMode(mode)
                            .withCheckpoints(current)
                            .withAnchorKey(IncrementalVerificationTest.KEY));
        }

        /**
         * The attacker's rewrite: changes the ip address of entry {@code seq}, recomputes its hash and the
         * hash of every entry after it, moves the chain head, and rebuilds the stored Merkle tree from the
         * new hashes, so that everything in the database is consistent.
         */
        void rewriteFrom(long seq, String ip) {
            long head = LedgerInternals.store(f.ledger).loadHead().seq();
            Hash previous = f.entry(seq).previousHash();
            List<byte[]> leaves = new ArrayList<>();
            for (long i = 1; i < seq; i++) {
                leaves.add(f.entry(i).currentHash().bytes());
            }
            for (long i = seq; i <= head; i++) {
                LedgerEntry e = f.entry(i);
                LedgerEntry changed = new LedgerEntry(
                        e.seq(),
                        e.transactionId(),
                        e.type(),
                        e.status(),
                        e.senderId(),
                        e.receiverId(),
                        e.currency(),
                        e.amountGross(),
                        e.taxWithheld(),
                        e.amountNet(),
                        e.taxKind(),
                        e.createdAt(),
                        e.actor(),
                        i == seq ? Optional.of(ip) : e.ipAddress(),
                        e.userAgent(),
                        e.reverses(),
                        previous,
                        Hash.ZERO);
                Hash hash = EntryHasher.hash(changed);
                f.sql(
                        "UPDATE ledger_entries SET ip_address = ?, previous_hash = ?, current_hash = ? WHERE seq = ?",
                        changed.ipAddress().orElse(null),
                        previous.bytes(),
                        hash.bytes(),
                        i);
                leaves.add(hash.bytes());
                previous = hash;
            }
            f.sql("UPDATE chain_head SET hash = ? WHERE id = 1", (Object) previous.bytes());
            f.sql("DELETE FROM merkle_hashes");
            List<byte[]> stored = new ArrayList<>();
            for (int n = 0; n < leaves.size(); n++) {
                stored.addAll(StoredHashes.appendHashes(n, Hashes.leafHash(leaves.get(n)), i -> stored.get((int) i)));
            }
            for (int i = 0; i < stored.size(); i++) {
                f.sql("INSERT INTO merkle_hashes (idx, hash) VALUES (?, ?)", (long) i, stored.get(i));
            }
        }

        @Override
        public void close() {
            f.close();
        }
    }
}
