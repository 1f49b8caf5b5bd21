package dev.tally.core.command;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.core.text.SafeText;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the sequencer can be asked to do. Commands are validated values: a command that exists is
 * well-formed, and the engine only decides whether the ledger's state allows it.
 */
public sealed interface Command {
    /** Max length of a client transaction id (the idempotency key). */
    int MAX_TRANSACTION_ID = 128;

    /** Commands that write a ledger entry, keyed by the client's transaction id. */
    sealed interface Movement
            permits Payment, Mint, Burn, Reverse, CreatePending, PostPending, VoidPending, ExchangeLeg {
        String transactionId();

        EntryContext context();
    }

    /** A TRANSFER, PURCHASE or INCOME of {@code amount} (the gross) from sender to receiver. */
    record Payment(
            String transactionId, EntryType type, UUID senderId, UUID receiverId, Money amount, EntryContext context)
            implements Command, Movement {
        public Payment {
            requireTransactionId(transactionId);
            Objects.requireNonNull(type, "type");
            if (!type.isPayment()) {
                throw new IllegalArgumentException("type must be TRANSFER, PURCHASE or INCOME: " + type);
            }
            Objects.requireNonNull(senderId, "sender_id");
            Objects.requireNonNull(receiverId, "receiver_id");
            requirePositive(amount);
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /** New money into an account. */
    record Mint(String transactionId, UUID receiverId, Money amount, EntryContext context)
            implements Command, Movement {
        public Mint {
            requireTransactionId(transactionId);
            Objects.requireNonNull(receiverId, "receiver_id");
            requirePositive(amount);
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /** Money destroyed from an account. */
    record Burn(String transactionId, UUID senderId, Money amount, EntryContext context) implements Command, Movement {
        public Burn {
            requireTransactionId(transactionId);
            Objects.requireNonNull(senderId, "sender_id");
            requirePositive(amount);
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /** Undo the entry {@code originalTransactionId} by moving its amounts back. */
    record Reverse(String transactionId, String originalTransactionId, EntryContext context)
            implements Command, Movement {
        public Reverse {
            requireTransactionId(transactionId);
            requireTransactionId(originalTransactionId);
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /** The longest timeout a pending transfer may have. */
    java.time.Duration MAX_PENDING_TIMEOUT = java.time.Duration.ofDays(30);

    /**
     * A pending (two-phase) TRANSFER, PURCHASE or INCOME: {@code amount} leaves the sender's available
     * balance now and reaches the receiver only when posted; voided by the ledger once {@code timeout} has
     * passed.
     */
    record CreatePending(
            String transactionId,
            EntryType type,
            UUID senderId,
            UUID receiverId,
            Money amount,
            java.time.Duration timeout,
            EntryContext context)
            implements Command, Movement {
        public CreatePending {
            requireTransactionId(transactionId);
            Objects.requireNonNull(type, "type");
            if (!type.isPayment()) {
                throw new IllegalArgumentException("type must be TRANSFER, PURCHASE or INCOME: " + type);
            }
            Objects.requireNonNull(senderId, "sender_id");
            Objects.requireNonNull(receiverId, "receiver_id");
            requirePositive(amount);
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(java.time.Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_PENDING_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be between 1 second and 30 days");
            }
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /**
     * Complete the pending transfer {@code pendingTransactionId}, for {@code amount} (at most the pending
     * amount; all of it when empty); the rest goes back to the sender.
     *
     * @param byLedger whether the ledger itself issues it (fraud review), not a client: only such a command
     *     may post a pending transfer the fraud shield holds
     */
    record PostPending(
            String transactionId,
            String pendingTransactionId,
            Optional<Money> amount,
            EntryContext context,
            boolean byLedger)
            implements Command, Movement {
        public PostPending {
            requireTransactionId(transactionId);
            requireTransactionId(pendingTransactionId);
            Objects.requireNonNull(amount, "amount").ifPresent(Command::requirePositive);
            Objects.requireNonNull(context, "context").requireSafe();
        }

        /** A client's post. */
        public PostPending(
                String transactionId, String pendingTransactionId, Optional<Money> amount, EntryContext context) {
            this(transactionId, pendingTransactionId, amount, context, false);
        }
    }

    /**
     * Release the whole pending transfer {@code pendingTransactionId} back to its sender.
     *
     * @param byLedger whether the ledger itself issues it (fraud review, expiry), not a client: only such a
     *     command may void a pending transfer the fraud shield holds
     */
    record VoidPending(String transactionId, String pendingTransactionId, EntryContext context, boolean byLedger)
            implements Command, Movement {
        public VoidPending {
            requireTransactionId(transactionId);
            requireTransactionId(pendingTransactionId);
            Objects.requireNonNull(context, "context").requireSafe();
        }

        /** A client's void. */
        public VoidPending(String transactionId, String pendingTransactionId, EntryContext context) {
            this(transactionId, pendingTransactionId, context, false);
        }
    }

    /**
     * One leg of a currency exchange (see {@link dev.tally.core.command.Exchange}, which builds both): moves
     * {@code amount} from sender to receiver, {@code fee} of it to the treasury. The two legs are submitted
     * as one linked batch; {@code exchangeId} and {@code rate} are recorded in both entries' metadata.
     *
     * @param sell whether this is the leg that pays the account's money into the market (the other pays the
     *     market's money out to the account, and must find that much in the market)
     */
    record ExchangeLeg(
            String transactionId,
            UUID senderId,
            UUID receiverId,
            Money amount,
            long fee,
            String exchangeId,
            String rate,
            boolean sell,
            EntryContext context)
            implements Command, Movement {
        public ExchangeLeg {
            requireTransactionId(transactionId);
            requireTransactionId(exchangeId);
            Objects.requireNonNull(senderId, "sender_id");
            Objects.requireNonNull(receiverId, "receiver_id");
            requirePositive(amount);
            if (fee < 0 || fee >= amount.minor() || (sell && fee != 0)) {
                throw new IllegalArgumentException("fee must be less than the amount, and only on the buying leg");
            }
            Objects.requireNonNull(rate, "rate");
            Objects.requireNonNull(context, "context").requireSafe();
        }
    }

    /**
     * Set an account's limits in one currency, if it is still at {@code expectedVersion} when given. Admin
     * only: a credit limit lets the account spend money it does not hold.
     */
    record SetAccountLimit(
            UUID accountId, String currency, dev.tally.core.account.AccountLimit limit, Optional<Long> expectedVersion)
            implements Command {
        public SetAccountLimit {
            Objects.requireNonNull(accountId, "account_id");
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(expectedVersion, "expectedVersion");
        }
    }

    /** Open a new account with no balance. */
    record OpenAccount(UUID id, String username, String email, Role role) implements Command {
        public OpenAccount {
            Objects.requireNonNull(id, "id");
            Account.requireValidUsername(username);
            Account.requireValidEmail(email);
            Objects.requireNonNull(role, "role");
        }
    }

    /** Change an account's e-mail, if it is still at {@code expectedVersion} (the seed's OCC Test 1). */
    record UpdateEmail(UUID accountId, String email, long expectedVersion) implements Command {
        public UpdateEmail {
            Objects.requireNonNull(accountId, "account_id");
            Account.requireValidEmail(email);
        }
    }

    /** Freeze (with a reason) or unfreeze an account for fraud; a frozen account cannot send. */
    record SetAccountFrozen(UUID accountId, boolean frozen, Optional<String> reason, Optional<Long> expectedVersion)
            implements Command {
        public SetAccountFrozen {
            Objects.requireNonNull(accountId, "account_id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(expectedVersion, "expectedVersion");
            if (frozen && reason.map(String::isBlank).orElse(true)) {
                throw new IllegalArgumentException("a freeze needs a reason");
            }
            requireReason(reason);
        }
    }

    /** Freeze or unfreeze every money movement in the ledger (reads go on). */
    record SetLedgerFrozen(boolean frozen, Optional<String> reason, String actor) implements Command {
        public SetLedgerFrozen {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(actor, "actor");
            requireReason(reason);
            SafeText.requireSafe("actor", actor);
        }
    }

    /** Validates a client transaction id: 1-128 printable ASCII characters without spaces. */
    static void requireTransactionId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("transaction_id must be 1-" + MAX_TRANSACTION_ID + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("transaction_id must be printable ASCII without spaces");
            }
        }
    }

    /** A reason is free text kept with the account or the ledger switch, and printed to operators: no control characters. */
    private static void requireReason(Optional<String> reason) {
        if (reason.isPresent()) {
            if (reason.get().length() > Account.MAX_REASON) {
                throw new IllegalArgumentException("reason is longer than " + Account.MAX_REASON + " characters");
            }
            SafeText.requireSafe("reason", reason.get());
        }
    }

    private static void requirePositive(Money amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.minor() <= 0 || amount.minor() > Money.MAX_MINOR) {
            throw new IllegalArgumentException("amount must be greater than zero and at most the maximum");
        }
    }
}
