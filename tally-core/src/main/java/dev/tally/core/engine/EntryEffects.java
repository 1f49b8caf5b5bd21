package dev.tally.core.engine;

import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import java.util.UUID;

/**
 * What an entry does to balances, tax totals and supply. The engine applies it on the write path and the
 * reconciler replays it from genesis, so both agree by construction:
 * <ul>
 *   <li>a sender is debited the gross (for a REVERSAL, the net it once received);</li>
 *   <li>a receiver is credited the net (for a REVERSAL, the gross it once paid);</li>
 *   <li>the treasury gains the tax (a REVERSAL gives it back);</li>
 *   <li>no sender means money is created (MINT, or undoing a BURN); no receiver means it is destroyed.</li>
 * </ul>
 * Every entry therefore conserves money: the debits equal the credits plus the change in supply.
 */
public final class EntryEffects {
    private EntryEffects() {}

    /** Receives the effects of an entry. Deltas may be negative. */
    public interface Sink {
        void balance(UUID account, String currency, long delta);

        void treasuryTotal(String currency, TaxKind kind, long delta);

        void supply(String currency, long minted, long burned);
    }

    /** Calls the sink once per effect of {@code e}; {@code treasury} is the treasury's account id. */
    public static void apply(LedgerEntry e, UUID treasury, Sink sink) {
        if (e.type() == EntryType.PENDING || e.type().settlesPending()) {
            applyPending(e, treasury, sink);
            return;
        }
        boolean reversal = e.type() == EntryType.REVERSAL;
        String currency = e.currency();
        e.senderId().ifPresent(s -> sink.balance(s, currency, -(reversal ? e.amountNet() : e.amountGross())));
        e.receiverId().ifPresent(r -> sink.balance(r, currency, reversal ? e.amountGross() : e.amountNet()));
        if (e.taxWithheld() != 0) {
            long tax = reversal ? -e.taxWithheld() : e.taxWithheld();
            sink.balance(treasury, currency, tax);
            sink.treasuryTotal(currency, e.taxKind(), tax);
        }
        if (e.senderId().isEmpty()) {
            sink.supply(currency, e.amountGross(), 0);
        }
        if (e.receiverId().isEmpty()) {
            sink.supply(currency, 0, e.amountGross());
        }
    }

    /**
     * A pending transfer moves its gross from the sender into {@link Rules#ESCROW_ID}; posting takes the gross
     * out of escrow, credits the receiver the net, the treasury the tax, and the sender whatever was not posted
     * ({@code gross - tax - net}); a void gives the sender the whole gross back. No money is created or destroyed.
     */
    private static void applyPending(LedgerEntry e, UUID treasury, Sink sink) {
        String currency = e.currency();
        UUID sender = e.senderId().orElseThrow();
        if (e.type() == EntryType.PENDING) {
            sink.balance(sender, currency, -e.amountGross());
            sink.balance(Rules.ESCROW_ID, currency, e.amountGross());
            return;
        }
        sink.balance(Rules.ESCROW_ID, currency, -e.amountGross());
        if (e.amountNet() != 0) {
            sink.balance(e.receiverId().orElseThrow(), currency, e.amountNet());
        }
        if (e.taxWithheld() != 0) {
            sink.balance(treasury, currency, e.taxWithheld());
            sink.treasuryTotal(currency, e.taxKind(), e.taxWithheld());
        }
        long released = e.amountGross() - e.taxWithheld() - e.amountNet();
        if (released != 0) {
            sink.balance(sender, currency, released);
        }
    }
}
