package dev.tally.core.store;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes a whole ledger into an empty store in one transaction, the Merkle tree rebuilt from the entries:
 * nothing is visible until {@link #commit}, and closing without it writes nothing. Not thread-safe.
 */
public interface LedgerRestore extends AutoCloseable {
    void account(Account a);

    /**
     * Adds the next entry.
     *
     * @throws IllegalArgumentException for an entry out of sequence or not linked to the previous one
     */
    void entry(LedgerEntry e);

    void balance(UUID account, String currency, long amount);

    void treasuryTotal(String currency, TaxKind kind, long amount);

    void supply(String currency, long minted, long burned);

    void controls(LedgerControls controls);

    void checkpoint(long treeSize, byte[] rootHash, String note, Instant createdAt);

    /**
     * Commits everything.
     *
     * @throws IllegalArgumentException when {@code expectedHead} is not the newest restored entry
     */
    void commit(ChainHead expectedHead);

    /** Rolls back unless committed. */
    @Override
    void close();
}
