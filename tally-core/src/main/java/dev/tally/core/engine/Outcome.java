package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.error.Rejection;
import dev.tally.core.ledger.LedgerEntry;

/**
 * The result of one command: a value per command, as TigerBeetle's client returns a status per event.
 * Rejections are data here; only infrastructure faults are exceptions.
 */
public sealed interface Outcome {
    /** Whether the command took effect (or had already taken effect, for a replay). */
    default boolean ok() {
        return !(this instanceof Rejected);
    }

    /** A new entry was appended and committed. */
    record Written(LedgerEntry entry) implements Outcome {}

    /** The transaction id was already in the ledger with the same content: nothing was written. */
    record Replayed(LedgerEntry entry) implements Outcome {}

    /**
     * The fraud shield held the payment pending review: {@code pending} is the pending transfer it became
     * (its transaction id is the payment's), reserving the amount until review posts or voids it or it
     * expires. {@code replayed} when the transaction id was already held with the same content.
     */
    record Held(LedgerEntry pending, String rule, boolean replayed) implements Outcome {}

    /** An account was opened or changed. */
    record AccountChanged(Account account) implements Outcome {}

    /** The ledger-wide controls changed. */
    record ControlsChanged(LedgerControls controls) implements Outcome {}

    /** Refused; nothing was written. */
    record Rejected(Rejection rejection) implements Outcome {}
}
