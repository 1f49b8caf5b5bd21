package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.ledger.LedgerEntry;
import java.util.Optional;
import java.util.UUID;

/**
 * What the engine may read while it decides a command. Implementations answer from memory where they can
 * and from the store where they must; the engine does not know which.
 */
public interface StateView {
    Optional<Account> account(UUID id);

    /** Whether an account already has this username, ignoring case. */
    boolean usernameTaken(String username);

    boolean emailTaken(String email);

    Balance balance(BalanceKey key);

    Balance treasuryTotal(TreasuryKey key);

    Supply supply(String currency);

    /** The entry with this transaction id, committed or earlier in the same batch. */
    Optional<LedgerEntry> entry(String transactionId);

    /** The transaction id of the reversal of {@code originalTransactionId}, if it was reversed. */
    Optional<String> reversalOf(String originalTransactionId);

    ChainHead head();

    LedgerControls controls();

    /** Payments {@code sender} made in the batch being decided (not yet committed). */
    default int pendingPayments(java.util.UUID sender) {
        return 0;
    }
}
