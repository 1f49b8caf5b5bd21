package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.NOW;
import static dev.tally.core.engine.World.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.LedgerEntry;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Uncommitted changes over a state: reads see them, the parent does not until they are merged. */
class OverlayTest {
    private final World w = new World();

    @Test
    void readsFallThroughToTheParentUntilTheOverlayWrites() {
        Overlay overlay = w.overlay();
        BalanceKey alice = new BalanceKey(w.alice, "EUR");
        assertThat(overlay.balance(alice).amount()).isEqualTo(10_000);

        overlay.putBalance(alice, new Balance(1, 1));

        assertThat(overlay.balance(alice).amount()).isEqualTo(1);
        assertThat(w.store.balances.get(alice).amount()).isEqualTo(10_000);
    }

    @Test
    void aChildsChangesReachItsParentOnlyWhenMerged() {
        Overlay parent = w.overlay();
        Overlay child = parent.child();
        w.engine.apply(transfer("t1", w.alice, w.bob, 100), child, NOW);
        assertThat(parent.entry("t1")).isEmpty();

        child.mergeInto(parent);

        assertThat(parent.entry("t1")).isPresent();
        assertThat(parent.head()).isEqualTo(child.head());
        assertThat(parent.balance(new BalanceKey(w.bob, "EUR")).amount()).isEqualTo(99);
    }

    @Test
    void aMergedChildKeepsTheVersionItsAccountsWereReadAt() {
        Overlay parent = w.overlay();
        Overlay child = parent.child();
        w.engine.apply(new Command.UpdateEmail(w.alice, "alice@new.example.com", 1), child, NOW);

        child.mergeInto(parent);

        WriteSet.AccountWrite write = parent.toWriteSet(w.store.head).accounts().get(0);
        assertThat(write.readVersion()).isEqualTo(1);
        assertThat(write.isInsert()).isFalse();
    }

    @Test
    void aNewAccountIsWrittenAsAnInsert() {
        Overlay overlay = w.overlay();
        w.engine.apply(
                new Command.OpenAccount(UUID.randomUUID(), "carol", "carol@example.com", Role.USER), overlay, NOW);

        assertThat(overlay.toWriteSet(w.store.head).accounts())
                .singleElement()
                .matches(WriteSet.AccountWrite::isInsert);
    }

    @Test
    void anAccountChangedTwiceInABatchIsWrittenOnceAtTheVersionFirstRead() {
        Overlay overlay = w.overlay();
        w.engine.apply(new Command.UpdateEmail(w.alice, "a1@example.com", 1), overlay, NOW);
        w.engine.apply(new Command.SetAccountFrozen(w.alice, true, Optional.of("x"), Optional.empty()), overlay, NOW);

        WriteSet writes = overlay.toWriteSet(w.store.head);

        assertThat(writes.accounts()).hasSize(1);
        assertThat(writes.accounts().get(0).readVersion()).isEqualTo(1);
        assertThat(writes.accounts().get(0).account().email()).isEqualTo("a1@example.com");
    }

    @Test
    void theWriteSetGoesFromTheCommittedHeadToTheNewOne() {
        Overlay overlay = w.overlay();
        w.engine.apply(transfer("t1", w.alice, w.bob, 100), overlay, NOW);
        LedgerEntry e = overlay.entries.get(0);

        WriteSet writes = overlay.toWriteSet(w.store.head);

        assertThat(writes.fromHead()).isEqualTo(w.store.head);
        assertThat(writes.toHead()).isEqualTo(new ChainHead(e.seq(), e.currentHash()));
        assertThat(writes.entries()).containsExactly(e);
    }

    @Test
    void anOverlayWithoutChangesIsEmptyAndWritesNothing() {
        Overlay overlay = w.overlay();

        assertThat(overlay.isEmpty()).isTrue();
        assertThat(overlay.toWriteSet(w.store.head).isEmpty()).isTrue();
    }

    @Test
    void aChangeOfTheControlsAloneIsAWrite() {
        Overlay overlay = w.overlay();
        w.engine.apply(new Command.SetLedgerFrozen(true, Optional.of("x"), "ops"), overlay, NOW);

        assertThat(overlay.isEmpty()).isFalse();
        assertThat(overlay.toWriteSet(w.store.head).controls()).isPresent();
    }

    @Test
    void usernamesAndEmailsOpenedInTheBatchAreTaken() {
        Overlay overlay = w.overlay();
        w.engine.apply(
                new Command.OpenAccount(UUID.randomUUID(), "carol", "Carol@Example.com", Role.USER), overlay, NOW);

        assertThat(overlay.usernameTaken("carol")).isTrue();
        assertThat(overlay.emailTaken("carol@example.com")).isTrue();
        assertThat(overlay.usernameTaken("dave")).isFalse();
    }

    @Test
    void anAppendedReversalAndPaymentAreVisibleToLaterCommands() {
        Overlay overlay = w.overlay();
        w.engine.apply(transfer("t1", w.alice, w.bob, 100), overlay, NOW);
        w.engine.apply(new Command.Reverse("undo", "t1", CTX), overlay, NOW);

        assertThat(overlay.reversalOf("t1")).contains("undo");
        assertThat(overlay.pendingPayments(w.alice)).isEqualTo(1);
        assertThat(overlay.pendingPayments(w.bob))
                .as("a reversal is not a payment")
                .isZero();
    }

    @Test
    void emailsAreNormalisedToLowerCase() {
        assertThat(Overlay.normalizeEmail("Alice@Example.COM")).isEqualTo("alice@example.com");
    }

    @Test
    void anAccountReadThroughTheOverlayIsTheParentsUntilChanged() {
        Overlay overlay = w.overlay();
        Account before = overlay.account(w.alice).orElseThrow();

        w.engine.apply(new Command.UpdateEmail(w.alice, "a2@example.com", 1), overlay, NOW);

        assertThat(overlay.account(w.alice).orElseThrow().email()).isEqualTo("a2@example.com");
        assertThat(before.email()).isEqualTo("alice@example.com");
        assertThat(overlay.account(UUID.randomUUID())).isEmpty();
    }
}
