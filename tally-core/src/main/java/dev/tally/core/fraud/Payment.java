package dev.tally.core.fraud;

import dev.tally.core.ledger.LedgerEntry;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment as the fraud rules see it: who sends how much to whom, when, from where, and what is known of
 * both accounts. Built from a command being decided, or from a committed entry when windows are rebuilt.
 *
 * @param origin the client's address as the server resolved it (after the trusted-proxy rule), if known
 * @param userAgent the client's user agent, if known
 */
public record Payment(
        String transactionId,
        UUID sender,
        UUID receiver,
        String currency,
        long amountMinor,
        Instant at,
        Optional<String> origin,
        Optional<String> userAgent,
        AccountFacts senderFacts,
        AccountFacts receiverFacts) {

    /** A committed payment entry as the rules see it; empty for an entry that is not a payment. */
    public static Optional<Payment> of(LedgerEntry e, AccountFacts senderFacts, AccountFacts receiverFacts) {
        if (!e.type().isPayment() || e.senderId().isEmpty() || e.receiverId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Payment(
                e.transactionId(),
                e.senderId().get(),
                e.receiverId().get(),
                e.currency(),
                e.amountGross(),
                e.createdAt(),
                e.ipAddress(),
                e.userAgent(),
                senderFacts,
                receiverFacts));
    }

    /**
     * What the rules need to know of an account.
     *
     * @param openedAt when the account was opened
     * @param system whether it is a system account (a shop, the game, the treasury), which farms and mules
     *     are not: flows through it are commerce, not laundering
     */
    public record AccountFacts(Instant openedAt, boolean system) {
        /** An account the shield knows nothing about: treated as old and not a system account. */
        public static final AccountFacts UNKNOWN = new AccountFacts(Instant.EPOCH, false);
    }
}
