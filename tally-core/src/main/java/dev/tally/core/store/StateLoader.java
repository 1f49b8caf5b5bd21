package dev.tally.core.store;

import dev.tally.core.account.Account;
import dev.tally.core.engine.Balance;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The bulk reads the write path needs, each answering many keys in one round trip. Keys that do not
 * exist are simply absent from the returned map.
 */
public interface StateLoader {
    Map<UUID, Account> loadAccounts(Collection<UUID> ids);

    Map<BalanceKey, Balance> loadBalances(Collection<BalanceKey> keys);

    Map<TreasuryKey, Balance> loadTreasuryTotals();

    Map<String, Supply> loadSupplies();

    Map<String, LedgerEntry> loadEntries(Collection<String> transactionIds);

    /** Maps each given original transaction id that was reversed to the id of its reversal. */
    Map<String, String> loadReversals(Collection<String> originalTransactionIds);

    /** Whether an account's username equals this one ignoring case (usernames are unique regardless of case). */
    boolean usernameExists(String username);

    /** Case-insensitive. */
    boolean emailExists(String email);

    ChainHead loadHead();

    LedgerControls loadControls();
}
