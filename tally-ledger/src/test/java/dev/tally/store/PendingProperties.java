package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.AsOf;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random interleavings of payments, pending creations, posts (whole or in part), voids, clock moves and
 * expiry sweeps, mixed with reversals, burns and account freezes: no money is created or lost, no balance
 * goes negative, the stored state equals a replay, the escrow holds exactly the open pending amounts,
 * reconciliation is clean, and every balance read as of the newest entry equals the current one.
 */
class PendingProperties {
    private static final EntryContext CTX = EntryContext.actor("property");
    private static final int ACCOUNTS = 3;

    /** One random step; indexes are taken modulo what exists. */
    record Op(int kind, int from, int to, long minor, int pick) {}

    @Property(tries = 12)
    void pendingTransfersConserveMoneyWhateverTheInterleaving(
            @ForAll StoreKind kind, @ForAll @Size(min = 1, max = 40) List<@From("ops") Op> ops) {
        PendingTransfersTest.SettableClock clock =
                new PendingTransfersTest.SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
        try (Ledger ledger = Ledger.open(TestStores.config(kind).withClock(clock))) {
            List<UUID> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(ledger.createAccount("p" + i, "p" + i + "@example.com", Role.USER)
                        .id());
            }
            Currency eur = ledger.currency("EUR");
            List<String> pendings = new ArrayList<>();
            List<String> written = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String id = "op-" + i;
                UUID from = accounts.get(op.from() % ACCOUNTS);
                UUID to = accounts.get(op.to() % ACCOUNTS);
                Money amount = Money.ofMinor(eur, op.minor());
                Optional<String> pending =
                        pendings.isEmpty() ? Optional.empty() : Optional.of(pendings.get(op.pick() % pendings.size()));
                Command c = switch (op.kind()) {
                    case 0 -> new Command.Mint(id, to, Money.ofMinor(eur, op.minor() * 5), CTX);
                    case 1 -> new Command.Payment(id, EntryType.PURCHASE, from, to, amount, CTX);
                    case 2, 3 ->
                        new Command.CreatePending(
                                id, EntryType.values()[op.pick() % 3], from, to, amount, Duration.ofSeconds(30), CTX);
                    case 4 ->
                        new Command.PostPending(
                                id,
                                pending.orElse("none"),
                                op.pick() % 2 == 0
                                        ? Optional.empty()
                                        : Optional.of(Money.ofMinor(eur, 1 + op.minor() % 50)),
                                CTX);
                    case 5 -> new Command.VoidPending(id, pending.orElse("none"), CTX);
                    case 7 ->
                        new Command.Reverse(
                                id, written.isEmpty() ? "none" : written.get(op.pick() % written.size()), CTX);
                    case 8 -> new Command.Burn(id, from, Money.ofMinor(eur, 1 + op.minor() % 500), CTX);
                    case 9 ->
                        new Command.SetAccountFrozen(
                                from, op.pick() % 2 == 0, Optional.of("property"), Optional.empty());
                    default -> null;
                };
                if (c == null) {
                    clock.advance(Duration.ofSeconds(1 + op.minor() % 40));
                    ledger.expirePending(100);
                    continue;
                }
                Outcome o = ledger.submit(c).join();
                if (o instanceof Outcome.Written w) {
                    written.add(w.entry().transactionId());
                }
                if (o instanceof Outcome.Written w && w.entry().type() == EntryType.PENDING) {
                    pendings.add(w.entry().transactionId());
                }
                if (o instanceof Outcome.Written w && w.entry().type() == EntryType.POST_PENDING) {
                    LedgerEntry p = ledger.reads()
                            .findEntry(w.entry().reverses().orElseThrow())
                            .orElseThrow();
                    assertThat(clock.instant()).isBefore(dev.tally.core.engine.Engine.expiresAt(p));
                }
            }
            Invariants.assertHold(ledger);
            long open = ledger.reads().openPending(Optional.empty(), 10_000).stream()
                    .mapToLong(LedgerEntry::amountGross)
                    .sum();
            long escrow = Optional.ofNullable(
                            ledger.reads().balances(Rules.ESCROW_ID).get("EUR"))
                    .map(Money::minor)
                    .orElse(0L);
            assertThat(escrow).as("escrow = open pending amounts").isEqualTo(open);
            assertThat(ledger.audit().reconcile().valid()).isTrue();
            assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
            long head = ledger.reads().head().seq();
            for (UUID a : accounts) {
                Money then = ledger.reads()
                        .balancesAsOf(a, new AsOf.Seq(head))
                        .available()
                        .get("EUR");
                Money now = ledger.reads().balances(a).get("EUR");
                assertThat(then == null ? 0 : then.minor())
                        .as("the balance as of the newest entry is the current one")
                        .isEqualTo(now == null ? 0 : now.minor());
            }
        }
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.longs().between(1, 3_000),
                        Arbitraries.integers().between(0, 99))
                .as(Op::new);
    }
}
