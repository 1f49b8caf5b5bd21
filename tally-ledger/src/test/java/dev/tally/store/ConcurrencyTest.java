package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.EmbeddedPostgres;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real threads on the real write path: nothing acknowledged is lost, nothing rejected is written. */
class ConcurrencyTest {
    private static final EntryContext CTX = EntryContext.actor("load");
    private static final int THREADS = 16;
    private static final int PER_THREAD = 150;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void manyThreadsOnHotAccountsLoseNothing(StoreKind kind) throws Exception {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            List<UUID> hot = openAccounts(ledger, "hot", 4);
            hot.forEach(id -> ledger.mint("seed-" + id, id, ledger.money("50.00", "EUR"), CTX));

            Map<String, Outcome> outcomes = hammer(List.of(ledger), hot, "t");

            assertAcknowledgedExactlyOnce(ledger, outcomes);
            assertThat(outcomes.values()).anyMatch(o -> !o.ok()).anyMatch(Outcome::ok);
            Invariants.assertHold(ledger);
        }
    }

    @Test
    void twoEnginesOnOnePostgresDatabaseConflictRetryAndLoseNothing() throws Exception {
        String db = EmbeddedPostgres.freshDatabase();
        LedgerConfig config = LedgerConfig.defaults()
                .withLocation(db)
                .withSequencer(SequencerOptions.DEFAULTS.withMaxBatch(16).withMaxRetries(50));
        try (Ledger first = Ledger.open(config);
                Ledger second = Ledger.open(config)) {
            List<UUID> hot = openAccounts(first, "hot", 4);
            hot.forEach(id -> first.mint("seed-" + id, id, first.money("50.00", "EUR"), CTX));

            Map<String, Outcome> outcomes = hammer(List.of(first, second), hot, "t");

            assertThat(first.stats().conflicts() + second.stats().conflicts())
                    .as("conflicts happened")
                    .isPositive();
            assertThat(first.stats().retries() + second.stats().retries())
                    .as("and were retried")
                    .isPositive();
            assertAcknowledgedExactlyOnce(first, outcomes);
            Invariants.assertHold(first);
        }
    }

    @Test
    void twoEnginesOnOneSqliteFileConflictRetryAndLoseNothing() throws Exception {
        String db = TestStores.freshLocation(StoreKind.SQLITE);
        LedgerConfig config = LedgerConfig.defaults()
                .withLocation(db)
                .withSequencer(SequencerOptions.DEFAULTS.withMaxBatch(16).withMaxRetries(50));
        try (Ledger first = Ledger.open(config);
                Ledger second = Ledger.open(config)) {
            List<UUID> hot = openAccounts(first, "hot", 4);
            hot.forEach(id -> first.mint("seed-" + id, id, first.money("50.00", "EUR"), CTX));

            Map<String, Outcome> outcomes = hammer(List.of(first, second), hot, "t");

            assertThat(first.stats().conflicts() + second.stats().conflicts())
                    .as("conflicts happened")
                    .isPositive();
            assertAcknowledgedExactlyOnce(first, outcomes);
            Invariants.assertHold(first);
        }
    }

    private static List<UUID> openAccounts(Ledger ledger, String prefix, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Account a = ledger.createAccount(prefix + i, prefix + i + "@example.com", Role.USER);
            ids.add(a.id());
        }
        return ids;
    }

    /** Each thread submits random transfers among the hot accounts through the ledgers in turn. */
    private static Map<String, Outcome> hammer(List<Ledger> ledgers, List<UUID> hot, String prefix) throws Exception {
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < PER_THREAD; i++) {
                    Ledger ledger = ledgers.get((thread + i) % ledgers.size());
                    int from = r.nextInt(hot.size());
                    int to = (from + 1 + r.nextInt(hot.size() - 1)) % hot.size();
                    String id = prefix + "-" + thread + "-" + i;
                    Money amount = Money.ofMinor(ledger.currency("EUR"), 1 + r.nextInt(2_000));
                    EntryType type = EntryType.values()[r.nextInt(3)];
                    outcomes.put(
                            id,
                            ledger.submit(new Command.Payment(id, type, hot.get(from), hot.get(to), amount, CTX))
                                    .join());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return outcomes;
    }

    private static void assertAcknowledgedExactlyOnce(Ledger ledger, Map<String, Outcome> outcomes) {
        Set<String> stored = ConcurrentHashMap.newKeySet();
        LedgerInternals.store(ledger).streamEntries(1, Long.MAX_VALUE, e -> {
            assertThat(stored.add(e.transactionId()))
                    .as("%s stored once", e.transactionId())
                    .isTrue();
            return true;
        });
        outcomes.forEach((id, outcome) -> {
            if (outcome instanceof Outcome.Written w) {
                assertThat(ledger.reads().findEntry(id)).contains(w.entry());
            } else {
                assertThat(stored).as("rejected %s is not in the ledger", id).doesNotContain(id);
            }
        });
        assertThat(outcomes.values().stream().filter(Outcome::ok).count() + 4 /* seeds */)
                .isEqualTo(stored.size());
    }
}
