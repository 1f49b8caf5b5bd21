package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.Hashes;
import dev.tally.verify.MerkleTree;
import dev.tally.verify.Proofs;
import dev.tally.verify.StoredHashes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The tree kept on the write path equals the RFC 9162 reference tree over the entries' hashes. */
class MerkleOnWritePathTest {
    private static final EntryContext CTX = EntryContext.actor("test");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyPrefixOfTheLedgerHasTheReferenceRoot(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m0", a.id(), ledger.money("1000.00", "EUR"), CTX);
            for (int batch = 0; batch < 7; batch++) {
                List<Command> commands = new ArrayList<>();
                for (int i = 0; i <= batch * 3; i++) {
                    commands.add(new Command.Payment(
                            "t" + batch + "-" + i,
                            EntryType.TRANSFER,
                            a.id(),
                            b.id(),
                            Money.ofMinor(ledger.currency("EUR"), 1 + i),
                            CTX));
                }
                ledger.submitAll(commands).join();
            }
            List<byte[]> leaves = new ArrayList<>();
            LedgerInternals.store(ledger)
                    .streamEntries(
                            1, Long.MAX_VALUE, e -> leaves.add(e.currentHash().bytes()));
            assertThat(leaves).hasSizeGreaterThan(60);

            for (int size = 0; size <= leaves.size(); size++) {
                byte[] stored = StoredHashes.treeHash(size, LedgerInternals.store(ledger)::readTreeHashes);
                assertThat(Hashes.toHex(stored))
                        .as("root of size %d", size)
                        .isEqualTo(Hashes.toHex(MerkleTree.root(leaves.subList(0, size))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void inclusionProofsFromTheStoreVerify(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            for (int i = 0; i < 20; i++) {
                ledger.mint("m" + i, a.id(), ledger.money("1.00", "EUR"), CTX);
            }
            long size = LedgerInternals.store(ledger).loadHead().seq();
            byte[] root = StoredHashes.treeHash(size, LedgerInternals.store(ledger)::readTreeHashes);
            for (long leaf = 0; leaf < size; leaf++) {
                byte[] leafHash = Hashes.leafHash(LedgerInternals.store(ledger)
                        .findEntryBySeq(leaf + 1)
                        .orElseThrow()
                        .currentHash()
                        .bytes());
                List<byte[]> proof = Proofs.proveInclusion(size, leaf, LedgerInternals.store(ledger)::readTreeHashes);
                assertThat(Proofs.verifyInclusion(leaf, size, leafHash, proof, root))
                        .isTrue();
            }
        }
    }
}
