package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.NOW;
import static dev.tally.core.engine.World.entry;
import static dev.tally.core.engine.World.eur;
import static dev.tally.core.engine.World.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The engine's decisions, one rule per test, on an in-memory ledger. */
class EngineTest {
    private final World w = new World();

    @Test
    void aTransferTakesTheGrossFromTheSenderAndGivesTheNetToTheReceiverAndTheTaxToTheTreasury() {
        LedgerEntry e = entry(w.apply(transfer("t1", w.alice, w.bob, 1_000)));

        assertThat(e.amountGross()).isEqualTo(1_000);
        assertThat(e.taxWithheld()).as("1% transfer tax").isEqualTo(10);
        assertThat(w.balance(w.alice)).isEqualTo(9_000);
        assertThat(w.balance(w.bob)).isEqualTo(990);
        assertThat(w.balance(w.rules.treasuryId())).isEqualTo(10);
        assertThat(w.store
                        .treasury
                        .get(new TreasuryKey("EUR", TaxKind.TRANSFER_TAX))
                        .amount())
                .isEqualTo(10);
    }

    @Test
    void incomeTaxIsWithheldFromWhatTheReceiverGets() {
        LedgerEntry e =
                entry(w.apply(new Command.Payment("salary", EntryType.INCOME, w.alice, w.bob, eur(1_000), CTX)));

        assertThat(e.taxKind()).isEqualTo(TaxKind.INCOME_TAX);
        assertThat(e.taxWithheld()).isEqualTo(100);
        assertThat(w.balance(w.bob)).isEqualTo(900);
    }

    @Test
    void theTreasuryPaysNoTaxOnWhatItSends() {
        w.apply(transfer("t1", w.alice, w.rules.treasuryId(), 5_000));

        LedgerEntry e = entry(w.apply(transfer("t2", w.rules.treasuryId(), w.bob, 1_000)));

        assertThat(e.taxWithheld()).isZero();
    }

    @Test
    void aMintCreatesMoneyAndCountsItInTheSupply() {
        w.apply(new Command.Mint("m2", w.bob, eur(500), CTX));

        assertThat(w.balance(w.bob)).isEqualTo(500);
        assertThat(w.store.supply.get("EUR").minted()).isEqualTo(10_500);
    }

    @Test
    void aBurnDestroysMoneyAndCountsItInTheSupply() {
        w.apply(new Command.Burn("b1", w.alice, eur(2_500), CTX));

        assertThat(w.balance(w.alice)).isEqualTo(7_500);
        assertThat(w.store.supply.get("EUR").burned()).isEqualTo(2_500);
        assertThat(w.store.supply.get("EUR").circulating()).isEqualTo(7_500);
    }

    @Test
    void aPaymentBeyondTheSendersFundsIsRefusedAndChangesNothing() {
        Overlay overlay = w.overlay();

        Outcome o = w.engine.apply(transfer("t1", w.bob, w.alice, 1), overlay, NOW);

        assertThat(code(o)).isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        assertThat(overlay.isEmpty()).isTrue();
    }

    @Test
    void aBurnBeyondTheBalanceIsRefused() {
        assertThat(code(w.apply(new Command.Burn("b1", w.bob, eur(1), CTX))))
                .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void theSameCommandAgainIsAnsweredWithTheOriginalEntry() {
        LedgerEntry first = entry(w.apply(transfer("t1", w.alice, w.bob, 100)));

        Outcome again = w.apply(transfer("t1", w.alice, w.bob, 100));

        assertThat(again).isEqualTo(new Outcome.Replayed(first));
        assertThat(w.balance(w.bob)).isEqualTo(99);
    }

    @Test
    void aTransactionIdUsedForOtherContentIsADuplicate() {
        w.apply(transfer("t1", w.alice, w.bob, 100));

        assertThat(code(w.apply(transfer("t1", w.alice, w.bob, 200)))).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION);
    }

    @Test
    void aFrozenLedgerRefusesMovementsButStillAnswersReplays() {
        LedgerEntry first = entry(w.apply(transfer("t1", w.alice, w.bob, 100)));
        w.apply(new Command.SetLedgerFrozen(true, Optional.of("incident"), "ops"));

        assertThat(code(w.apply(transfer("t2", w.alice, w.bob, 100)))).isEqualTo(RejectionCode.LEDGER_FROZEN);
        assertThat(w.apply(transfer("t1", w.alice, w.bob, 100))).isEqualTo(new Outcome.Replayed(first));
    }

    @Test
    void unfreezingTheLedgerLetsMoneyMoveAgain() {
        w.apply(new Command.SetLedgerFrozen(true, Optional.of("incident"), "ops"));
        Outcome unfrozen = w.apply(new Command.SetLedgerFrozen(false, Optional.empty(), "ops"));

        assertThat(((Outcome.ControlsChanged) unfrozen).controls().frozen()).isFalse();
        assertThat(w.apply(transfer("t1", w.alice, w.bob, 100)).ok()).isTrue();
    }

    @Test
    void aCurrencyTheLedgerDoesNotUseIsRefused() {
        Money dollars = Money.ofMinor(new Currency("USD", 2), 100);

        Outcome o = w.apply(new Command.Payment("t1", EntryType.TRANSFER, w.alice, w.bob, dollars, CTX));

        assertThat(code(o)).isEqualTo(RejectionCode.UNKNOWN_CURRENCY);
        assertThat(((Outcome.Rejected) o).rejection().field()).contains("currency");
    }

    @Test
    void aCurrencyWithTheRightCodeAndTheWrongScaleIsRefused() {
        assertThat(code(w.apply(new Command.Mint("m", w.bob, Money.ofMinor(new Currency("EUR", 3), 100), CTX))))
                .isEqualTo(RejectionCode.UNKNOWN_CURRENCY);
    }

    @Test
    void aPaymentToTheSameAccountIsRefused() {
        assertThat(code(w.apply(transfer("t1", w.alice, w.alice, 100)))).isEqualTo(RejectionCode.SAME_ACCOUNT);
    }

    @Test
    void aPaymentBetweenUnknownAccountsIsRefused() {
        assertThat(code(w.apply(transfer("t1", UUID.randomUUID(), w.bob, 100))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
        assertThat(code(w.apply(transfer("t2", w.alice, UUID.randomUUID(), 100))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
    }

    @Test
    void aMintToOrABurnFromAnUnknownAccountIsRefused() {
        assertThat(code(w.apply(new Command.Mint("m", UUID.randomUUID(), eur(1), CTX))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
        assertThat(code(w.apply(new Command.Burn("b", UUID.randomUUID(), eur(1), CTX))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
    }

    @Test
    void anAccountFrozenForFraudCannotSendButCanReceive() {
        w.apply(new Command.SetAccountFrozen(w.alice, true, Optional.of("chargebacks"), Optional.empty()));

        assertThat(code(w.apply(transfer("t1", w.alice, w.bob, 100)))).isEqualTo(RejectionCode.ACCOUNT_FROZEN);
        assertThat(w.apply(new Command.Mint("m", w.alice, eur(1), CTX)).ok()).isTrue();
    }

    @Test
    void theFraudShieldFreezesASenderOverTheLimitAndKeepsTheFreeze() {
        World shielded =
                new World(Rules.defaults().withFraudPolicy(new FraudPolicy(1, Duration.ofMinutes(1), Long.MAX_VALUE)));

        List<Outcome> outcomes = shielded.batch(
                transfer("t1", shielded.alice, shielded.bob, 100), transfer("t2", shielded.alice, shielded.bob, 100));

        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(code(outcomes.get(1))).isEqualTo(RejectionCode.ACCOUNT_FROZEN);
        assertThat(shielded.store.accounts.get(shielded.alice).frozenForFraud())
                .as("the freeze is written")
                .isTrue();
    }

    @Test
    void theFraudShieldRemembersCommittedPaymentsAcrossBatches() {
        World shielded =
                new World(Rules.defaults().withFraudPolicy(new FraudPolicy(1, Duration.ofMinutes(1), Long.MAX_VALUE)));
        shielded.apply(transfer("t1", shielded.alice, shielded.bob, 100));

        assertThat(code(shielded.apply(transfer("t2", shielded.alice, shielded.bob, 100))))
                .isEqualTo(RejectionCode.ACCOUNT_FROZEN);
    }

    @Test
    void aReversalReturnsTheMoneyAndTheTax() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));

        LedgerEntry r = entry(w.apply(new Command.Reverse("undo", "t1", CTX)));

        assertThat(r.type()).isEqualTo(EntryType.REVERSAL);
        assertThat(r.reverses()).contains("t1");
        assertThat(w.balance(w.alice)).isEqualTo(10_000);
        assertThat(w.balance(w.bob)).isZero();
        assertThat(w.balance(w.rules.treasuryId())).isZero();
    }

    @Test
    void aReversalCannotBeReversed() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));
        w.apply(new Command.Reverse("undo", "t1", CTX));

        assertThat(code(w.apply(new Command.Reverse("undo-undo", "undo", CTX))))
                .isEqualTo(RejectionCode.NOT_REVERSIBLE);
    }

    @Test
    void aTransactionIsReversedAtMostOnce() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));
        w.apply(new Command.Reverse("undo", "t1", CTX));

        assertThat(code(w.apply(new Command.Reverse("undo-again", "t1", CTX))))
                .isEqualTo(RejectionCode.ALREADY_REVERSED);
    }

    @Test
    void reversingAnUnknownTransactionIsRefused() {
        assertThat(code(w.apply(new Command.Reverse("undo", "nothing", CTX))))
                .isEqualTo(RejectionCode.UNKNOWN_TRANSACTION);
    }

    @Test
    void aReversalTheReceiverCanNoLongerPayIsRefused() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));
        w.apply(new Command.Burn("spent", w.bob, eur(990), CTX));

        assertThat(code(w.apply(new Command.Reverse("undo", "t1", CTX)))).isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void eachEntryIsChainedToTheOneBefore() {
        LedgerEntry a = entry(w.apply(transfer("t1", w.alice, w.bob, 100)));
        LedgerEntry b = entry(w.apply(transfer("t2", w.alice, w.bob, 100)));

        assertThat(b.seq()).isEqualTo(a.seq() + 1);
        assertThat(b.previousHash()).isEqualTo(a.currentHash());
        assertThat(b.hashMatches()).isTrue();
        assertThat(a.currentHash()).isNotEqualTo(Hash.ZERO);
    }

    @Test
    void theSameCommandOnTheSameStateGivesTheSameEntry() {
        LedgerEntry here = entry(w.engine.apply(transfer("t1", w.alice, w.bob, 100), w.overlay(), NOW));
        LedgerEntry again = entry(w.engine.apply(transfer("t1", w.alice, w.bob, 100), w.overlay(), NOW));

        assertThat(again).isEqualTo(here);
        assertThat(again.currentHash()).isEqualTo(here.currentHash());
    }

    @Test
    void aBalanceThatWouldPassTheCeilingIsRefusedAsAnOverflow() {
        Overlay overlay = w.overlay();
        Outcome last = w.engine.apply(new Command.Mint("big", w.bob, eur(Money.MAX_MINOR), CTX), overlay, NOW);
        for (int i = 0; i < 1_000 && last.ok(); i++) {
            last = w.engine.apply(new Command.Mint("big-" + i, w.bob, eur(Money.MAX_MINOR), CTX), overlay, NOW);
        }

        assertThat(code(last)).isEqualTo(RejectionCode.BALANCE_OVERFLOW);
        assertThat(overlay.balance(new BalanceKey(w.bob, "EUR")).amount()).isLessThanOrEqualTo(Money.MAX_MINOR * 1000);
    }

    @Test
    void anAccountIsOpenedAtVersionOne() {
        UUID id = UUID.randomUUID();

        Outcome o = w.apply(new Command.OpenAccount(id, "carol", "carol@example.com", Role.USER));

        assertThat(((Outcome.AccountChanged) o).account().version()).isEqualTo(1);
        assertThat(w.store.accounts).containsKey(id);
    }

    @Test
    void anAccountIdIsNotOpenedTwice() {
        assertThat(code(w.apply(new Command.OpenAccount(w.alice, "alice2", "alice2@example.com", Role.USER))))
                .isEqualTo(RejectionCode.DUPLICATE_USERNAME);
    }

    @Test
    void aTakenUsernameIsRefusedNamingTheField() {
        Outcome o = w.apply(new Command.OpenAccount(UUID.randomUUID(), "alice", "other@example.com", Role.USER));

        assertThat(code(o)).isEqualTo(RejectionCode.DUPLICATE_USERNAME);
        assertThat(((Outcome.Rejected) o).rejection().field()).contains("username");
    }

    @Test
    void aTakenEmailIsRefusedWhateverItsCase() {
        assertThat(code(w.apply(new Command.OpenAccount(UUID.randomUUID(), "carol", "ALICE@example.com", Role.USER))))
                .isEqualTo(RejectionCode.DUPLICATE_EMAIL);
    }

    @Test
    void anEmailIsChangedAtTheVersionRead() {
        Outcome o = w.apply(new Command.UpdateEmail(w.alice, "alice@new.example.com", 1));

        assertThat(((Outcome.AccountChanged) o).account().email()).isEqualTo("alice@new.example.com");
        assertThat(w.store.accounts.get(w.alice).version()).isEqualTo(2);
    }

    @Test
    void anEmailChangeAtAStaleVersionIsAConflict() {
        assertThat(code(w.apply(new Command.UpdateEmail(w.alice, "alice@new.example.com", 7))))
                .isEqualTo(RejectionCode.VERSION_CONFLICT);
    }

    @Test
    void anEmailChangeToAnotherAccountsEmailIsRefused() {
        assertThat(code(w.apply(new Command.UpdateEmail(w.alice, "bob@example.com", 1))))
                .isEqualTo(RejectionCode.DUPLICATE_EMAIL);
    }

    @Test
    void anEmailChangeOfItsOwnCaseIsAllowed() {
        assertThat(w.apply(new Command.UpdateEmail(w.alice, "Alice@Example.com", 1))
                        .ok())
                .isTrue();
    }

    @Test
    void anUnknownAccountsEmailOrFreezeCannotChange() {
        assertThat(code(w.apply(new Command.UpdateEmail(UUID.randomUUID(), "x@example.com", 1))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
        assertThat(code(w.apply(
                        new Command.SetAccountFrozen(UUID.randomUUID(), false, Optional.empty(), Optional.empty()))))
                .isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
    }

    @Test
    void aFrozenAccountIsUnfrozenAndMaySendAgain() {
        w.apply(new Command.SetAccountFrozen(w.alice, true, Optional.of("check"), Optional.empty()));

        Outcome o = w.apply(new Command.SetAccountFrozen(w.alice, false, Optional.empty(), Optional.of(2L)));

        assertThat(((Outcome.AccountChanged) o).account().frozenForFraud()).isFalse();
        assertThat(w.apply(transfer("t1", w.alice, w.bob, 100)).ok()).isTrue();
    }

    @Test
    void aFreezeAtAStaleVersionIsAConflict() {
        assertThat(code(w.apply(new Command.SetAccountFrozen(w.alice, true, Optional.of("x"), Optional.of(9L)))))
                .isEqualTo(RejectionCode.VERSION_CONFLICT);
    }

    @Test
    void theTreasuryCannotBeFrozen() {
        Outcome o =
                w.apply(new Command.SetAccountFrozen(w.rules.treasuryId(), true, Optional.of("x"), Optional.empty()));

        assertThat(code(o)).isEqualTo(RejectionCode.VALIDATION_FAILED);
    }

    @Test
    void linkedCommandsTakeEffectTogether() {
        Overlay overlay = w.overlay();

        List<Outcome> outcomes = w.engine.applyLinked(
                List.of(transfer("a", w.alice, w.bob, 100), transfer("b", w.alice, w.bob, 200)), overlay, NOW);

        assertThat(outcomes).allMatch(Outcome::ok);
        assertThat(overlay.entries).hasSize(2);
    }

    @Test
    void whenOneLinkedCommandFailsNoneTakesEffectAndTheOthersSaySo() {
        Overlay overlay = w.overlay();

        List<Outcome> outcomes = w.engine.applyLinked(
                List.of(
                        transfer("a", w.alice, w.bob, 100),
                        transfer("b", w.bob, w.alice, 1_000_000),
                        transfer("c", w.alice, w.bob, 100)),
                overlay,
                NOW);

        assertThat(code(outcomes.get(0))).isEqualTo(RejectionCode.LINKED_EVENT_FAILED);
        assertThat(code(outcomes.get(1)))
                .as("the failing one keeps its reason")
                .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        assertThat(code(outcomes.get(2))).isEqualTo(RejectionCode.LINKED_EVENT_FAILED);
        assertThat(overlay.isEmpty()).isTrue();
    }

    @Test
    void laterCommandsOfABatchSeeTheEarlierOnes() {
        List<Outcome> outcomes = w.batch(transfer("t1", w.alice, w.bob, 1_000), transfer("t2", w.bob, w.alice, 990));

        assertThat(outcomes).allMatch(Outcome::ok);
        assertThat(w.balance(w.bob)).isZero();
    }

    private static RejectionCode code(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).rejection().code();
    }
}
