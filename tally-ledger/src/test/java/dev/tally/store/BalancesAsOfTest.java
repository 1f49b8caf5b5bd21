package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Role;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.core.tax.TaxPolicy;
import dev.tally.ledger.AsOf;
import dev.tally.ledger.BalancesAsOf;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Balances as of a past entry or time: exact at every point, from snapshots and short replays; on both stores. */
class BalancesAsOfTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final Currency GEM = new Currency("GEM", 0);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Ledger ledger;
    private final List<UUID> accounts = new ArrayList<>();

    private void open(StoreKind kind) {
        Rules rules = new Rules(Currencies.of(List.of(Currency.EUR, GEM)), TaxPolicy.defaults(), Rules.TREASURY_ID);
        ledger = Ledger.open(TestStores.config(kind).withRules(rules).withClock(clock));
        for (int i = 0; i < 4; i++) {
            accounts.add(ledger.createAccount("u" + i, "u" + i + "@example.com", Role.USER)
                    .id());
        }
        accounts.add(Rules.TREASURY_ID);
        accounts.add(Rules.ESCROW_ID);
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** Every account's balances now, as the as-of view shows them, currencies with all zeros left out. */
    private Map<UUID, Map<String, List<Long>>> now() {
        Map<UUID, Map<String, List<Long>>> all = new TreeMap<>();
        for (UUID a : accounts) {
            Map<String, List<Long>> view = new TreeMap<>();
            Map<String, long[]> pending = ledger.reads().pendingTotals(a);
            ledger.reads().balances(a).forEach((code, m) -> view.put(code, List.of(m.minor(), 0L, 0L)));
            pending.forEach((code, t) ->
                    view.put(code, List.of(view.getOrDefault(code, List.of(0L)).get(0), t[0], t[1])));
            view.values().removeIf(v -> v.equals(List.of(0L, 0L, 0L)));
            all.put(a, view);
        }
        return all;
    }

    private Map<String, List<Long>> asOf(UUID account, AsOf point) {
        BalancesAsOf b = ledger.reads().balancesAsOf(account, point);
        Map<String, List<Long>> view = new TreeMap<>();
        b.available()
                .forEach((code, m) -> view.put(
                        code,
                        List.of(
                                m.minor(),
                                b.pendingOut().get(code).minor(),
                                b.pendingIn().get(code).minor())));
        view.values().removeIf(v -> v.equals(List.of(0L, 0L, 0L)));
        return view;
    }

    /** Runs a seeded mix of every money command; returns the state after each written entry, by seq. */
    private Map<Long, Map<UUID, Map<String, List<Long>>>> randomHistory(int steps) {
        Random random = new Random(42);
        Map<Long, Map<UUID, Map<String, List<Long>>>> states = new TreeMap<>();
        List<String> written = new ArrayList<>();
        List<String> pendings = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int sender = random.nextInt(4);
            UUID from = accounts.get(sender);
            UUID to = accounts.get((sender + 1 + random.nextInt(3)) % 4);
            Currency c = random.nextInt(5) == 0 ? GEM : Currency.EUR;
            Money amount = Money.ofMinor(c, 1 + random.nextInt(2_000));
            String id = "op-" + i;
            String any = written.isEmpty() ? "none" : written.get(random.nextInt(written.size()));
            String pending = pendings.isEmpty() ? "none" : pendings.get(random.nextInt(pendings.size()));
            Command command = switch (random.nextInt(9)) {
                case 0, 1 -> new Command.Mint(id, to, Money.ofMinor(c, amount.minor() * 3), CTX);
                case 2, 3 -> new Command.Payment(id, EntryType.PURCHASE, from, to, amount, CTX);
                case 4 ->
                    new Command.CreatePending(id, EntryType.PURCHASE, from, to, amount, Duration.ofSeconds(30), CTX);
                case 5 -> new Command.PostPending(id, pending, Optional.empty(), CTX);
                case 6 -> new Command.VoidPending(id, pending, CTX);
                case 7 -> new Command.Reverse(id, any, CTX);
                default -> new Command.Burn(id, from, Money.ofMinor(c, 1 + random.nextInt(100)), CTX);
            };
            clock.advance(Duration.ofSeconds(1 + random.nextInt(5)));
            if (random.nextInt(15) == 0) {
                ledger.expirePending(100);
                states.put(ledger.reads().head().seq(), now());
            }
            Outcome o = ledger.submit(command).join();
            if (o instanceof Outcome.Written w) {
                written.add(w.entry().transactionId());
                if (w.entry().type() == EntryType.PENDING) {
                    pendings.add(w.entry().transactionId());
                }
                states.put(w.entry().seq(), now());
            }
        }
        return states;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void balancesAsOfEveryEntryEqualWhatTheAccountHeldJustAfterIt(StoreKind kind) throws Exception {
        open(kind);
        Map<Long, Map<UUID, Map<String, List<Long>>>> states = randomHistory(400);
        assertThat(StoreSql.scalar(LedgerInternals.store(ledger), "SELECT COUNT(*) FROM balance_snapshots"))
                .as("snapshots were written")
                .isNotEqualTo("0");
        states.forEach((seq, state) -> state.forEach((account, expected) -> assertThat(asOf(account, new AsOf.Seq(seq)))
                .as("account %s after #%d", account, seq)
                .isEqualTo(expected)));
        assertThat(ledger.audit().reconcile().valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTimeGivesTheBalancesAfterTheLastEntryWrittenByThen(StoreKind kind) throws Exception {
        open(kind);
        UUID alice = accounts.get(0);
        ledger.mint("m-1", alice, ledger.money("10.00", "EUR"), CTX);
        Instant between = clock.instant().plusMillis(500);
        clock.advance(Duration.ofSeconds(1));
        ledger.mint("m-2", alice, ledger.money("5.00", "EUR"), CTX);
        assertThat(ledger.reads()
                        .balancesAsOf(alice, new AsOf.Time(between))
                        .available()
                        .get("EUR"))
                .isEqualTo(ledger.money("10.00", "EUR"));
        assertThat(ledger.reads().balancesAsOf(alice, new AsOf.Time(between)).seq())
                .isEqualTo(1);
        assertThat(ledger.reads()
                        .balancesAsOf(alice, new AsOf.Time(clock.instant()))
                        .available()
                        .get("EUR"))
                .isEqualTo(ledger.money("15.00", "EUR"));
        assertThat(ledger.reads()
                        .balancesAsOf(alice, new AsOf.Time(Instant.parse("2020-01-01T00:00:00Z")))
                        .available())
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPointNotReachedYetIsRefused(StoreKind kind) {
        open(kind);
        UUID alice = accounts.get(0);
        ledger.mint("m-1", alice, ledger.money("10.00", "EUR"), CTX);
        assertThatThrownBy(() -> ledger.reads().balancesAsOf(alice, new AsOf.Seq(2)))
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
        assertThatThrownBy(() -> ledger.reads()
                        .balancesAsOf(alice, new AsOf.Time(clock.instant().plusSeconds(60))))
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reconciliationFindsAnEditedSnapshot(StoreKind kind) throws Exception {
        open(kind);
        randomHistory(150);
        LedgerStore store = LedgerInternals.store(ledger);
        StoreSql.execute(
                store,
                "UPDATE balance_snapshots SET amount = amount + 1 WHERE seq = (SELECT MAX(seq) FROM balance_snapshots)");
        ReconciliationReport report = ledger.audit().reconcile();
        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).extracting(f -> f.type()).contains(FindingType.BALANCE_SNAPSHOT_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutSnapshotsTheAnswerIsTheSame(StoreKind kind) throws Exception {
        open(kind);
        Map<Long, Map<UUID, Map<String, List<Long>>>> states = randomHistory(150);
        StoreSql.execute(LedgerInternals.store(ledger), "DELETE FROM balance_snapshots");
        states.forEach((seq, state) -> state.forEach((account, expected) -> assertThat(asOf(account, new AsOf.Seq(seq)))
                .as("account %s after #%d", account, seq)
                .isEqualTo(expected)));
    }

    @org.junit.jupiter.api.Test
    void asOfReadsASeqOrATimeWithAnOffset() {
        assertThat(AsOf.parse("42")).isEqualTo(new AsOf.Seq(42));
        assertThat(AsOf.parse("2026-03-01T09:00:00+09:00"))
                .isEqualTo(new AsOf.Time(Instant.parse("2026-03-01T00:00:00Z")));
        assertThatThrownBy(() -> AsOf.parse("yesterday")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsOf.parse("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AsOf.parse("99999999999999999999")).isInstanceOf(IllegalArgumentException.class);
    }
}
