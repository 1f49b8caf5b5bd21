package dev.tally.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.StoredHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signed checkpoints: what is signed, where it goes, when it is taken, and when signing is refused. */
class CheckpointerTest {
    private static final EntryContext CTX = EntryContext.actor("test");

    @TempDir
    Path dir;

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKeyAndNeverOverwrites() throws IOException {
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/ledger");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKey())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keys.privateKey())).startsWith("PRIVATE+KEY+tally.example/ledger+");
        assertThat(Files.readString(keys.publicKey()).strip())
                .isEqualTo(keys.verifierKey())
                .startsWith("tally.example/ledger+");
        assertThat(SignerKeys.loadSigner(keys.privateKey()).verifier().verifierKey())
                .isEqualTo(keys.verifierKey());
        assertThatThrownBy(() -> SignerKeys.generate(dir, "tally.example/ledger"))
                .hasMessageContaining("exists");

        Files.setPosixFilePermissions(keys.privateKey(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SignerKeys.loadSigner(keys.privateKey())).hasMessageContaining("chmod 600");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCheckpointIsSignedStoredAndAppendedToTheWitnessFileOncePerSize(StoreKind kind) throws IOException {
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/ledger");
        Path witness = dir.resolve("published/witness.txt");
        try (Ledger ledger = ledgerWith(kind, 7)) {
            Checkpointer checkpointer = new Checkpointer(
                    LedgerInternals.store(ledger),
                    SignerKeys.loadSigner(keys.privateKey()),
                    Optional.of(witness),
                    Clock.systemUTC());
            SignedCheckpoint first = checkpointer.checkpoint();

            assertThat(first.size()).isEqualTo(7);
            assertThat(first.checkpoint().rootHash())
                    .isEqualTo(ledger.log().merkleLog().root(7));
            NoteVerifier verifier = SignerKeys.loadVerifier(keys.publicKey());
            Checkpoint opened = verifier.open(first.note()).checkpoint();
            assertThat(opened).isEqualTo(first.checkpoint());
            assertThat(first.note())
                    .startsWith("tally.example/ledger\n7\n" + Hashes.toBase64(opened.rootHash())
                            + "\n\n\u2014 tally.example/ledger ");
            assertThat(checkpointer.checkpoint())
                    .as("same size: not signed again")
                    .isEqualTo(first);
            assertThat(WitnessFile.read(witness)).containsExactly(first.note());

            pay(ledger, 3);
            SignedCheckpoint second = checkpointer.checkpoint();
            assertThat(second.size()).isEqualTo(10);
            assertThat(WitnessFile.read(witness)).containsExactly(first.note(), second.note());
            assertThat(ledger.log().merkleLog().checkpoints())
                    .extracting(SignedCheckpoint::size)
                    .containsExactly(7L, 10L);
            assertThat(ledger.log().merkleLog().latestCheckpoint()).contains(second);
            assertThat(ledger.log().merkleLog().inclusionProof(0, 10).checkpoint())
                    .contains(second.note());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLedgerConfiguredForCheckpointsSignsEveryNEntriesAndWhenItCloses(StoreKind kind) throws Exception {
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/auto");
        Path witness = dir.resolve("witness.txt");
        CheckpointConfig config = CheckpointConfig.of(keys.privateKey(), witness)
                .withEveryEntries(5)
                .withEvery(Duration.ZERO);
        try (Ledger ledger = Ledger.open(TestStores.config(kind).withCheckpoints(config))) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.mint("m", a.id(), ledger.money("10.00", "EUR"), CTX);
            for (int i = 0; i < 6; i++) {
                ledger.burn("b" + i, a.id(), ledger.money("0.01", "EUR"), CTX);
            }
            // 7 entries: the count trigger fired at the batch that reached 5 or more.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ledger.log().merkleLog().latestCheckpoint().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ledger.log().merkleLog().latestCheckpoint().orElseThrow().size())
                    .isBetween(5L, 7L);
            assertThat(ledger.log().checkpoint().size()).isEqualTo(7);
            ledger.burn("b-last", a.id(), ledger.money("0.01", "EUR"), CTX);
        }
        List<String> published = WitnessFile.read(witness);
        NoteVerifier verifier = SignerKeys.loadVerifier(keys.publicKey());
        assertThat(published.get(published.size() - 1))
                .as("closing signs the last entries")
                .satisfies(note ->
                        assertThat(verifier.open(note).checkpoint().size()).isEqualTo(8));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void signingIsRefusedWhenTheTreeNoLongerExtendsTheLastCheckpoint(StoreKind kind) throws Exception {
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/ledger");
        try (Ledger ledger = ledgerWith(kind, 6)) {
            LedgerStore store = LedgerInternals.store(ledger);
            Checkpointer checkpointer = new Checkpointer(
                    store, SignerKeys.loadSigner(keys.privateKey()), Optional.empty(), Clock.systemUTC());
            checkpointer.checkpoint();
            pay(ledger, 2);
            // The stored subtree of leaves 0..3, which the proofs from size 6 to 8 read (RFC 9162 §2.1.4).
            StoreSql.execute(
                    store,
                    "UPDATE merkle_hashes SET hash = ? WHERE idx = ?",
                    new byte[32],
                    StoredHashes.storedHashIndex(2, 0));

            assertThatThrownBy(checkpointer::checkpoint)
                    .isInstanceOf(TallyException.class)
                    .hasMessageContaining("refusing to sign");
        }
    }

    @Test
    void theWitnessFileSplitsIntoItsNotesAndKeepsAnAppendCutShortAsAnIncompleteNote() {
        String a = "log\n1\n" + Hashes.toBase64(new byte[32]) + "\n\n\u2014 log AAAA\n";
        String b = "log\n2\n" + Hashes.toBase64(new byte[32]) + "\n\n\u2014 log BBBB\n\u2014 witness CCCC\n";
        assertThat(WitnessFile.split(a + "\n" + b)).containsExactly(a, b);
        assertThat(WitnessFile.split(a + "\n" + "log\n3\n")).containsExactly(a, "log\n3\n");
        assertThat(WitnessFile.split("")).isEmpty();
    }

    private static Ledger ledgerWith(StoreKind kind, int entries) {
        Ledger ledger = TestStores.freshLedger(kind);
        Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
        ledger.mint("m", a.id(), ledger.money("100.00", "EUR"), CTX);
        pay(ledger, entries - 1);
        return ledger;
    }

    private static void pay(Ledger ledger, int n) {
        Account a = ledger.reads().findAccount("alice").orElseThrow();
        Account b = ledger.reads()
                .findAccount("bob")
                .orElseGet(() -> ledger.createAccount("bob", "bob@example.com", Role.USER));
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            commands.add(new Command.Payment(
                    "p" + System.nanoTime() + "-" + i,
                    EntryType.TRANSFER,
                    a.id(),
                    b.id(),
                    ledger.money("0.01", "EUR"),
                    CTX));
        }
        ledger.submitAll(commands).join().forEach(o -> assertThat(o.ok()).isTrue());
    }
}
