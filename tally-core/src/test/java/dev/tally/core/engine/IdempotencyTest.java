package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.entry;
import static dev.tally.core.engine.World.eur;
import static dev.tally.core.engine.World.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import org.junit.jupiter.api.Test;

/** What makes a resent command the same transaction: what the client chose, not where it came from. */
class IdempotencyTest {
    private final World w = new World();

    @Test
    void aPaymentIsTheSameWhenTypeAccountsCurrencyAndAmountAre() {
        LedgerEntry e = entry(w.apply(transfer("t1", w.alice, w.bob, 100)));

        assertThat(Idempotency.sameContent(
                        new Command.Payment(
                                "t1", EntryType.TRANSFER, w.alice, w.bob, eur(100), EntryContext.actor("someone else")),
                        e))
                .as("the context may differ")
                .isTrue();
        assertThat(Idempotency.sameContent(
                        new Command.Payment("t1", EntryType.PURCHASE, w.alice, w.bob, eur(100), CTX), e))
                .isFalse();
        assertThat(Idempotency.sameContent(transfer("t1", w.bob, w.alice, 100), e))
                .isFalse();
        assertThat(Idempotency.sameContent(transfer("t1", w.alice, w.bob, 101), e))
                .isFalse();
    }

    @Test
    void aMintIsTheSameWhenReceiverAndAmountAre() {
        LedgerEntry e = entry(w.apply(new Command.Mint("m1", w.bob, eur(5), CTX)));

        assertThat(Idempotency.sameContent(new Command.Mint("m1", w.bob, eur(5), CTX), e))
                .isTrue();
        assertThat(Idempotency.sameContent(new Command.Mint("m1", w.alice, eur(5), CTX), e))
                .isFalse();
        assertThat(Idempotency.sameContent(new Command.Burn("m1", w.bob, eur(5), CTX), e))
                .as("a burn is not a mint")
                .isFalse();
    }

    @Test
    void aBurnIsTheSameWhenSenderAndAmountAre() {
        LedgerEntry e = entry(w.apply(new Command.Burn("b1", w.alice, eur(5), CTX)));

        assertThat(Idempotency.sameContent(new Command.Burn("b1", w.alice, eur(5), CTX), e))
                .isTrue();
        assertThat(Idempotency.sameContent(new Command.Burn("b1", w.alice, eur(6), CTX), e))
                .isFalse();
    }

    @Test
    void aReversalIsTheSameWhenItReversesTheSameTransaction() {
        w.apply(transfer("t1", w.alice, w.bob, 100));
        w.apply(transfer("t2", w.alice, w.bob, 100));
        LedgerEntry e = entry(w.apply(new Command.Reverse("undo", "t1", CTX)));

        assertThat(Idempotency.sameContent(new Command.Reverse("undo", "t1", CTX), e))
                .isTrue();
        assertThat(Idempotency.sameContent(new Command.Reverse("undo", "t2", CTX), e))
                .isFalse();
    }
}
