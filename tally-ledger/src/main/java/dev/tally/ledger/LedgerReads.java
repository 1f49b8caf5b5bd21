package dev.tally.ledger;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.AccountQuery;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What the ledger holds now: accounts, balances, entries, totals, supply and controls, read straight from
 * the store (no sequencer, no lock: a read sees every batch committed before it). Thread-safe; obtained
 * from {@link Ledger#reads()}.
 */
public final class LedgerReads {
    private final LedgerStore store;
    private final Rules rules;
    private final PastBalances past;
    private static final int PENDING_PAGE = 10_000;
    private final Map<String, Currency> recordedByCode = new java.util.concurrent.ConcurrentHashMap<>();

    LedgerReads(LedgerStore store, Rules rules, java.time.Clock clock) {
        this.store = store;
        this.rules = rules;
        this.past = new PastBalances(store, rules, this::currencyOrScale, clock);
    }

    /** Finds an account by its id or its username. */
    public Optional<Account> findAccount(String idOrUsername) {
        if (idOrUsername == null || idOrUsername.isBlank()) {
            return Optional.empty();
        }
        try {
            Optional<Account> byId = store.findAccount(UUID.fromString(idOrUsername));
            if (byId.isPresent()) {
                return byId;
            }
        } catch (IllegalArgumentException notAUuid) {
            // fall through to the username
        }
        // Text that is no username (control characters, NUL, odd Unicode) never reaches the database: no
        // account has it, and PostgreSQL would refuse some of it as a store failure rather than a lookup miss.
        return Account.hasUsernameShape(idOrUsername) ? store.findAccountByUsername(idOrUsername) : Optional.empty();
    }

    /** Finds an account by its id. */
    public Optional<Account> findAccount(UUID id) {
        return store.findAccount(id);
    }

    /** The id of an account named by id or username; UNKNOWN_ACCOUNT when there is none. */
    public UUID resolve(String idOrUsername) {
        return findAccount(idOrUsername)
                .map(Account::id)
                .orElseThrow(() -> new RejectedException(
                        Rejection.of(RejectionCode.UNKNOWN_ACCOUNT, "no account " + idOrUsername)));
    }

    /** Accounts ordered by id, after the query's cursor, filtered. */
    public List<Account> listAccounts(AccountQuery query) {
        return store.listAccounts(query);
    }

    /** An account's balances as money, by currency code. */
    public Map<String, Money> balances(UUID accountId) {
        Map<String, Money> result = new LinkedHashMap<>();
        store.balancesOf(accountId)
                .forEach((code, minor) -> result.put(code, Money.ofMinor(currencyOrScale(code), minor)));
        return result;
    }

    /**
     * An account's balances just after a past entry or time, exactly, from its newest balance snapshot before
     * that point and its entries since (docs/ARCHITECTURE.md, "Balances as of any point").
     *
     * @throws RejectedException {@code VALIDATION_FAILED} on field {@code as_of} when the point is after the
     *     newest entry or in the future
     */
    public BalancesAsOf balancesAsOf(UUID accountId, AsOf point) {
        return past.at(accountId, point);
    }

    /** The entry with this transaction id. */
    public Optional<LedgerEntry> findEntry(String transactionId) {
        return store.findEntry(transactionId);
    }

    /** The entry at this position of the chain (the first is 1). */
    public Optional<LedgerEntry> findEntryBySeq(long seq) {
        return store.findEntryBySeq(seq);
    }

    /**
     * The amounts of an account's open pending payments per currency, in minor units: what it has reserved to
     * send ({@code [0]}, pending_out, already gone from its balance) and what it may receive ({@code [1]},
     * pending_in, not yet in its balance). Reads every open pending entry of the account, a page at a time.
     */
    public Map<String, long[]> pendingTotals(UUID accountId) {
        Map<String, long[]> totals = new java.util.TreeMap<>();
        long after = 0;
        List<LedgerEntry> page;
        do {
            page = store.openPending(java.util.Optional.of(accountId), after, PENDING_PAGE);
            for (LedgerEntry p : page) {
                long[] t = totals.computeIfAbsent(p.currency(), c -> new long[2]);
                if (p.senderId().equals(java.util.Optional.of(accountId))) {
                    t[0] = Math.addExact(t[0], p.amountGross());
                } else {
                    t[1] = Math.addExact(t[1], p.amountGross());
                }
                after = p.seq();
            }
        } while (page.size() == PENDING_PAGE);
        return totals;
    }

    /** Open pending payments, oldest first: all, or those of one account; at most {@code limit}. */
    public List<LedgerEntry> openPending(java.util.Optional<UUID> account, int limit) {
        return store.openPending(account, limit);
    }

    /** An account's entries, newest first, keyset-paginated. */
    public List<LedgerEntry> history(HistoryQuery query) {
        return store.history(query);
    }

    /** Tax collected by the treasury, per currency and kind. */
    public Map<TreasuryKey, Long> treasuryTotals() {
        return store.treasuryTotals();
    }

    /** Per currency: minted, burned, circulating (sum of balances) and whether they agree. */
    public List<SupplyReport> supply() {
        Map<String, Supply> supplies = store.supplies();
        Map<String, Long> circulating = store.circulating();
        TreeSet<String> codes = new TreeSet<>(supplies.keySet());
        codes.addAll(circulating.keySet());
        return codes.stream()
                .map(code -> {
                    Supply s = supplies.getOrDefault(code, Supply.NONE);
                    long c = circulating.getOrDefault(code, 0L);
                    return new SupplyReport(currencyOrScale(code), s.minted(), s.burned(), c);
                })
                .toList();
    }

    /** Whether the whole ledger is frozen, why and by whom. */
    public LedgerControls controls() {
        return store.loadControls();
    }

    /** The newest committed entry's position and hash. */
    public ChainHead head() {
        return store.loadHead();
    }

    /**
     * The currencies this ledger's entries were written in, with the scale recorded when each was first used
     * (a currency enabled by another process's configuration, such as {@code tally serve}'s).
     */
    public java.util.List<Currency> recordedCurrencies() {
        return store.recordedScales().stream()
                .filter(r -> r.scale().isPresent())
                .map(r -> new Currency(r.code(), r.scale().getAsInt()))
                .toList();
    }

    /**
     * A configured currency; else, for a code found in the data that this process was not configured with
     * (a server's configuration enabled it), the scale the store recorded when it was first used, so that its
     * amounts read as they were written; else scale 0.
     */
    public Currency currencyOrScale(String code) {
        return rules.currencies().find(code).or(() -> recorded(code)).orElseGet(() -> new Currency(code, 0));
    }

    /** A recorded scale never changes once written, so a hit is kept; a miss is asked again. */
    private Optional<Currency> recorded(String code) {
        Currency known = recordedByCode.get(code);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Currency> found =
                recordedCurrencies().stream().filter(c -> c.code().equals(code)).findFirst();
        found.ifPresent(c -> recordedByCode.put(code, c));
        return found;
    }
}
