package dev.tally.bench.suites;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The accounts a benchmark moves money between, opened and funded through the ledger itself, and the
 * transfers it sends: TRANSFERs of 0.01 to 100.00 EUR (so the default 1% tax credits the treasury too),
 * with a random UUID as the client's transaction id (or a time-ordered one, {@link #withTransactionIds}) and a
 * context like an API call's.
 */
final class Population {
    /** What every account starts with: enough that no transfer of a benchmark runs out of funds. */
    static final long OPENING_BALANCE = 1_000_000_000L;

    static final EntryContext CONTEXT =
            new EntryContext(Optional.of("bench"), Optional.of("127.0.0.1"), Optional.of("tally-bench"));
    private static final int CHUNK = 1_000;
    private final UUID[] accounts;
    private final Currency currency;
    private final TransactionIds ids;

    private Population(UUID[] accounts, Currency currency, TransactionIds ids) {
        this.accounts = accounts;
        this.currency = currency;
        this.ids = ids;
    }

    /** Opens {@code n} accounts and mints the opening balance into each. */
    static Population open(Ledger ledger, int n) {
        UUID[] ids = new UUID[n];
        Currency eur = ledger.currency("EUR");
        for (int from = 0; from < n; from += CHUNK) {
            List<Command> open = new ArrayList<>();
            List<Command> mint = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CHUNK); i++) {
                ids[i] = UUID.randomUUID();
                open.add(new Command.OpenAccount(ids[i], "bench" + i, "bench" + i + "@bench.invalid", Role.USER));
                mint.add(new Command.Mint("open-" + ids[i], ids[i], Money.ofMinor(eur, OPENING_BALANCE), CONTEXT));
            }
            requireAllOk(ledger.submitAll(open).join());
            requireAllOk(ledger.submitAll(mint).join());
        }
        return new Population(ids, eur, TransactionIds.RANDOM);
    }

    private static void requireAllOk(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (!o.ok()) {
                throw new TallyException("the benchmark ledger was refused a command: " + o);
            }
        }
    }

    /** The same accounts, whose transfers carry transaction ids of the given kind. */
    Population withTransactionIds(TransactionIds kind) {
        return new Population(accounts, currency, kind);
    }

    int size() {
        return accounts.length;
    }

    UUID account(int index) {
        return accounts[index];
    }

    Currency currency() {
        return currency;
    }

    /** A transfer between two accounts chosen by {@code picker}. */
    Command.Payment transfer(Skew.Picker picker, RandomGenerator random) {
        int[] pair = picker.pair(random);
        return new Command.Payment(
                ids.next(random),
                EntryType.TRANSFER,
                accounts[pair[0]],
                accounts[pair[1]],
                Money.ofMinor(currency, 1 + random.nextInt(10_000)),
                CONTEXT);
    }

    /** The batch size a benchmark ledger grows by: large, so that growing it costs little besides the entries. */
    static final int GROWTH_BATCH = 20_000;

    /**
     * Grows the ledger with random transfers, in batches of {@value #GROWTH_BATCH} through the sequencer, until
     * it holds {@code target} entries; every transfer must commit.
     */
    void growTo(Ledger ledger, Skew.Picker picker, RandomGenerator random, long target) {
        long have = LedgerInternals.store(ledger).loadHead().seq();
        while (have < target) {
            int n = (int) Math.min(GROWTH_BATCH, target - have);
            appendTransfers(ledger, picker, random, n);
            have += n;
        }
    }

    /** Sends {@code n} transfers as one batch and requires every one to commit. */
    void appendTransfers(Ledger ledger, Skew.Picker picker, RandomGenerator random, int n) {
        List<Command> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(transfer(picker, random));
        }
        requireAllOk(ledger.submitAll(batch).join());
    }

    /** A version-4 UUID from a fast generator: clients' idempotency keys are random, which indexes feel. */
    static String randomId(RandomGenerator random) {
        return TransactionIds.RANDOM.next(random);
    }
}
