package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.NOW;
import static dev.tally.core.engine.World.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.TaxKind;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writer's cache of the committed state: what it loads, when, and what it forgets. */
class CachedStateTest {
    private final World w = new World();
    private final MemoryStore store = w.store;
    private final CachedState state = new CachedState(store);

    @Test
    void prefetchLoadsEveryKindOfRowInOneBulkReadEach() {
        store.reads.clear();

        state.prefetch(List.of(
                transfer("t1", w.alice, w.bob, 1),
                transfer("t2", w.bob, w.alice, 1),
                transfer("t3", w.alice, w.bob, 1)));

        assertThat(store.reads)
                .containsEntry("accounts", 1)
                .containsEntry("balances", 1)
                .containsEntry("entries", 1);
    }

    @Test
    void accountsAndBalancesStayCachedAcrossBatches() {
        state.prefetch(List.of(transfer("t1", w.alice, w.bob, 1)));
        state.endBatch();
        store.reads.clear();

        state.prefetch(List.of(transfer("t2", w.alice, w.bob, 1)));

        assertThat(store.reads("accounts")).isZero();
        assertThat(store.reads("balances")).isZero();
        assertThat(state.balance(new BalanceKey(w.alice, "EUR")).amount()).isEqualTo(10_000);
    }

    @Test
    void transactionLookupsAreForgottenAfterTheBatch() {
        state.prefetch(List.of(transfer("t1", w.alice, w.bob, 1)));
        state.endBatch();
        store.reads.clear();

        state.entry("t1");

        assertThat(store.reads("entries")).isEqualTo(1);
    }

    @Test
    void anAbsentAccountIsRememberedAsAbsent() {
        UUID nobody = UUID.randomUUID();
        assertThat(state.account(nobody)).isEmpty();
        store.reads.clear();

        assertThat(state.account(nobody)).isEmpty();

        assertThat(store.reads("accounts")).isZero();
    }

    @Test
    void theHeadTheControlsTheTotalsAndTheSupplyAreLoadedOnce() {
        state.head();
        state.controls();
        state.treasuryTotal(new TreasuryKey("EUR", TaxKind.TRANSFER_TAX));
        state.supply("EUR");
        store.reads.clear();

        assertThat(state.head()).isEqualTo(store.head);
        assertThat(state.controls()).isEqualTo(store.controls);
        assertThat(state.supply("EUR")).isEqualTo(store.supply.get("EUR"));
        assertThat(state.treasuryTotal(new TreasuryKey("EUR", TaxKind.VAT))).isEqualTo(Balance.NONE);
        assertThat(store.reads).isEmpty();
    }

    @Test
    void aCommittedBatchMovesEveryWrittenRowOneVersionOn() {
        Balance before = state.balance(new BalanceKey(w.alice, "EUR"));
        Overlay overlay = new Overlay(state);
        w.engine.apply(transfer("t1", w.alice, w.bob, 1_000), overlay, NOW);
        WriteSet writes = overlay.toWriteSet(state.head());

        state.applyCommitted(writes);

        assertThat(state.balance(new BalanceKey(w.alice, "EUR"))).isEqualTo(new Balance(9_000, before.version() + 1));
        assertThat(state.head()).isEqualTo(writes.toHead());
        assertThat(state.treasuryTotal(new TreasuryKey("EUR", TaxKind.TRANSFER_TAX))
                        .amount())
                .isEqualTo(10);
    }

    @Test
    void aCommittedMintMovesTheSupplyAndAFreezeTheControls() {
        Overlay overlay = new Overlay(state);
        w.engine.apply(new Command.Mint("m", w.bob, World.eur(5), CTX), overlay, NOW);
        w.engine.apply(new Command.SetLedgerFrozen(true, java.util.Optional.of("x"), "ops"), overlay, NOW);
        long version = state.supply("EUR").version();

        state.applyCommitted(overlay.toWriteSet(state.head()));

        assertThat(state.supply("EUR").minted()).isEqualTo(10_005);
        assertThat(state.supply("EUR").version()).isEqualTo(version + 1);
        assertThat(state.controls().frozen()).isTrue();
    }

    @Test
    void aSpeculativeBatchsEntriesAndReversalsAreVisibleUntilConfirmed() {
        Overlay overlay = new Overlay(state);
        w.engine.apply(transfer("t1", w.alice, w.bob, 100), overlay, NOW);
        w.engine.apply(new Command.Reverse("undo", "t1", CTX), overlay, NOW);

        state.applySpeculative(overlay.toWriteSet(state.head()));

        assertThat(state.entry("t1")).isPresent();
        assertThat(state.reversalOf("t1")).contains("undo");
        assertThat(state.pendingPayments(w.alice)).isEqualTo(1);
        state.confirm();
        assertThat(state.pendingPayments(w.alice)).isZero();
        assertThat(state.entry("t1"))
                .as("not in the store: this batch never committed here")
                .isEmpty();
    }

    @Test
    void invalidateForgetsEverythingAndTheNextReadGoesToTheStore() {
        state.prefetch(List.of(transfer("t1", w.alice, w.bob, 1)));
        state.head();
        Overlay overlay = new Overlay(state);
        w.engine.apply(transfer("t1", w.alice, w.bob, 100), overlay, NOW);
        state.applySpeculative(overlay.toWriteSet(state.head()));

        state.invalidate();
        store.reads.clear();

        assertThat(state.balance(new BalanceKey(w.alice, "EUR")).amount())
                .as("the store's value, not the speculative one")
                .isEqualTo(10_000);
        assertThat(state.head()).isEqualTo(store.head);
        assertThat(state.entry("t1")).isEmpty();
        assertThat(store.reads).containsKeys("balances", "head", "entries");
    }

    @Test
    void prefetchOfAReversalLoadsTheOriginalsAccountsAndBalances() {
        w.apply(transfer("t1", w.alice, w.bob, 100));
        store.reads.clear();

        state.prefetch(List.of(new Command.Reverse("undo", "t1", CTX)));
        store.reads.clear();

        assertThat(state.account(w.bob)).isPresent();
        assertThat(state.balance(new BalanceKey(w.bob, "EUR")).amount()).isEqualTo(99);
        assertThat(state.reversalOf("t1")).isEmpty();
        assertThat(store.reads).isEmpty();
    }

    @Test
    void prefetchCoversAccountCommands() {
        UUID carol = UUID.randomUUID();
        store.reads.clear();

        state.prefetch(List.of(
                new Command.OpenAccount(carol, "carol", "carol@example.com", dev.tally.core.account.Role.USER),
                new Command.UpdateEmail(w.alice, "a@example.com", 1),
                new Command.SetAccountFrozen(w.bob, false, java.util.Optional.empty(), java.util.Optional.empty()),
                new Command.SetLedgerFrozen(false, java.util.Optional.empty(), "ops"),
                new Command.Mint("m", w.bob, World.eur(1), CTX),
                new Command.Burn("b", w.alice, World.eur(1), CTX)));
        store.reads.clear();

        assertThat(state.account(carol)).isEmpty();
        assertThat(state.account(w.alice)).isPresent();
        assertThat(state.account(w.bob)).isPresent();
        assertThat(store.reads).isEmpty();
    }

    @Test
    void usernamesAndEmailsAreAskedOfTheStore() {
        assertThat(state.usernameTaken("alice")).isTrue();
        assertThat(state.emailTaken("BOB@example.com")).isTrue();
        assertThat(state.usernameTaken("zed")).isFalse();
    }
}
