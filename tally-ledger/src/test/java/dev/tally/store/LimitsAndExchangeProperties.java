package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.command.Exchange;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * Random sequences of every money command, old and new (mint, burn, payments, reversals, pending create,
 * post and void, limit changes and exchanges): money is conserved per currency, no balance is below minus its
 * account's credit limit, the stored state equals a replay, verify and reconcile pass, and a refusal is one
 * of the documented codes.
 */
class LimitsAndExchangeProperties {
    private static final EntryContext CTX = EntryContext.actor("property");
    private static final int ACCOUNTS = 3;
    private static final Currency GOLD = new Currency("GOLD", 0);
    private static final Set<RejectionCode> EXPECTED_REFUSALS = Set.of(
            RejectionCode.INSUFFICIENT_FUNDS,
            RejectionCode.CREDIT_LIMIT_EXCEEDED,
            RejectionCode.MAX_BALANCE_EXCEEDED,
            RejectionCode.INSUFFICIENT_LIQUIDITY,
            RejectionCode.LINKED_EVENT_FAILED,
            RejectionCode.SAME_ACCOUNT,
            RejectionCode.UNKNOWN_TRANSACTION,
            RejectionCode.ALREADY_REVERSED,
            RejectionCode.NOT_REVERSIBLE,
            RejectionCode.NOT_PENDING,
            RejectionCode.PENDING_ALREADY_POSTED,
            RejectionCode.PENDING_ALREADY_VOIDED,
            RejectionCode.VALIDATION_FAILED);

    /** One random step; indexes are taken modulo what exists. */
    record Op(int kind, int from, int to, long minor, int pick) {}

    @Property(tries = 10)
    void everyCommandKeepsConservationAndCreditLimits(
            @ForAll StoreKind kind, @ForAll @Size(min = 1, max = 40) List<@From("ops") Op> ops) {
        Rules rules = Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD)));
        try (Ledger ledger = Ledger.open(TestStores.config(kind).withRules(rules))) {
            List<UUID> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(ledger.createAccount("p" + i, "p" + i + "@example.com", Role.USER)
                        .id());
            }
            UUID market = ledger.createAccount("market", "market@example.com", Role.SYSTEM)
                    .id();
            ledger.mint("liquidity-eur", market, Money.ofMinor(Currency.EUR, 50_000), CTX);
            ledger.mint("liquidity-gold", market, Money.ofMinor(GOLD, 5_000), CTX);
            List<String> written = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String id = "op-" + i;
                UUID from = accounts.get(op.from() % ACCOUNTS);
                UUID to = accounts.get(op.to() % ACCOUNTS);
                Money eur = Money.ofMinor(Currency.EUR, op.minor());
                String earlier = written.isEmpty() ? "none" : written.get(op.pick() % written.size());
                List<Outcome> outcomes = switch (op.kind()) {
                    case 0 ->
                        submit(ledger, new Command.Mint(id, to, Money.ofMinor(Currency.EUR, op.minor() * 3), CTX));
                    case 1 -> submit(ledger, new Command.Payment(id, EntryType.TRANSFER, from, to, eur, CTX));
                    case 2 -> submit(ledger, new Command.Burn(id, from, eur, CTX));
                    case 3 -> submit(ledger, new Command.Reverse(id, earlier, CTX));
                    case 4 ->
                        submit(
                                ledger,
                                new Command.CreatePending(
                                        id, EntryType.PURCHASE, from, to, eur, Duration.ofMinutes(5), CTX));
                    case 5 -> submit(ledger, new Command.PostPending(id, earlier, Optional.empty(), CTX));
                    case 6 -> submit(ledger, new Command.VoidPending(id, earlier, CTX));
                    case 7 ->
                        submit(
                                ledger,
                                new Command.SetAccountLimit(
                                        from,
                                        op.pick() % 2 == 0 ? "EUR" : "GOLD",
                                        new AccountLimit(
                                                op.minor() % 4 == 0 ? 0 : op.minor(),
                                                op.pick() % 3 == 0
                                                        ? Optional.empty()
                                                        : Optional.of(op.minor() * (1 + op.pick() % 7))),
                                        Optional.empty()));
                    default -> {
                        boolean toGold = op.pick() % 2 == 0;
                        Exchange x = new Exchange(
                                id,
                                from,
                                market,
                                toGold
                                        ? Money.ofMinor(Currency.EUR, 200 + op.minor())
                                        : Money.ofMinor(GOLD, 1 + op.minor() % 40),
                                toGold ? GOLD : Currency.EUR,
                                toGold ? new BigDecimal("0.5") : new BigDecimal("1.25"),
                                op.pick() % 4 * 50,
                                CTX);
                        yield ledger.submitLinked(x.legs()).join();
                    }
                };
                for (Outcome o : outcomes) {
                    if (o instanceof Outcome.Written w) {
                        written.add(w.entry().transactionId());
                    }
                    if (o instanceof Outcome.Rejected r) {
                        assertThat(EXPECTED_REFUSALS)
                                .as(r.rejection().toString())
                                .contains(r.rejection().code());
                    }
                }
            }
            Invariants.assertHold(ledger);
            assertThat(ledger.audit().reconcile().valid()).isTrue();
            assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        }
    }

    private static List<Outcome> submit(Ledger ledger, Command c) {
        return List.of(ledger.submit(c).join());
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 8),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.longs().between(1, 3_000),
                        Arbitraries.integers().between(0, 99))
                .as(Op::new);
    }
}
