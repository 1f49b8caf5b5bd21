package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.eur;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.command.Exchange;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Account limits and exchange legs in the engine. */
class LimitsAndExchangeEngineTest {
    private static final Currency GOLD = new Currency("GOLD", 0);
    private final World w = new World(Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD))));
    private final UUID market = UUID.randomUUID();

    private static RejectionCode code(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).rejection().code();
    }

    private Outcome limit(UUID account, String currency, long credit, Optional<Long> max) {
        return w.apply(new Command.SetAccountLimit(account, currency, new AccountLimit(credit, max), Optional.empty()));
    }

    private List<Outcome> exchange(String id, long eurMinor, String rate) {
        Exchange x = new Exchange(id, w.alice, market, eur(eurMinor), GOLD, new BigDecimal(rate), 100, CTX);
        Overlay overlay = w.overlay();
        List<Outcome> outcomes = w.engine.applyLinked(x.legs(), overlay, World.NOW);
        w.commit(overlay);
        return outcomes;
    }

    private void openMarket(long gold) {
        assertThat(w.apply(new Command.OpenAccount(market, "market", "market@example.com", Role.SYSTEM))
                        .ok())
                .isTrue();
        assertThat(w.apply(new Command.Mint("liquidity", market, Money.ofMinor(GOLD, gold), CTX))
                        .ok())
                .isTrue();
    }

    @Test
    void aCreditLimitLetsTheSenderGoBelowZeroDownToIt() {
        assertThat(limit(w.alice, "EUR", 5_000, Optional.empty()).ok()).isTrue();
        assertThat(w.apply(World.transfer("t1", w.alice, w.bob, 15_000)).ok()).isTrue();
        assertThat(w.balance(w.alice)).isEqualTo(-5_000);
        assertThat(code(w.apply(World.transfer("t2", w.alice, w.bob, 1))))
                .isEqualTo(RejectionCode.CREDIT_LIMIT_EXCEEDED);
        assertThat(w.balance(w.alice)).isEqualTo(-5_000);
    }

    @Test
    void aBurnCannotDrawOnTheCreditLimit() {
        limit(w.alice, "EUR", 5_000, Optional.empty());
        assertThat(code(w.apply(new Command.Burn("b1", w.alice, eur(10_001), CTX))))
                .isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
    }

    @Test
    void aCreditAboveTheCapIsRefusedButMoneyComingBackIsNot() {
        assertThat(w.apply(new Command.CreatePending(
                                "h1", EntryType.TRANSFER, w.alice, w.bob, eur(3_000), Duration.ofMinutes(5), CTX))
                        .ok())
                .isTrue();
        limit(w.alice, "EUR", 0, Optional.of(7_000L));
        limit(w.bob, "EUR", 0, Optional.of(100L));
        assertThat(code(w.apply(new Command.Mint("m1", w.bob, eur(101), CTX))))
                .isEqualTo(RejectionCode.MAX_BALANCE_EXCEEDED);
        assertThat(code(w.apply(new Command.PostPending("p1", "h1", Optional.empty(), CTX))))
                .isEqualTo(RejectionCode.MAX_BALANCE_EXCEEDED);
        assertThat(w.apply(new Command.VoidPending("v1", "h1", CTX)).ok()).isTrue();
        assertThat(w.balance(w.alice)).isEqualTo(10_000);
    }

    @Test
    void aLimitChangeBumpsTheVersionAndAStaleOneIsAConflict() {
        Outcome changed = w.apply(
                new Command.SetAccountLimit(w.alice, "EUR", new AccountLimit(1, Optional.empty()), Optional.of(1L)));
        assertThat(((Outcome.AccountChanged) changed).account().version()).isEqualTo(2);
        assertThat(code(w.apply(new Command.SetAccountLimit(w.alice, "EUR", AccountLimit.NONE, Optional.of(1L)))))
                .isEqualTo(RejectionCode.VERSION_CONFLICT);
    }

    @Test
    void theTreasuryAnUnknownAccountAndAnUnknownCurrencyTakeNoLimits() {
        assertThat(code(limit(w.rules.treasuryId(), "EUR", 1, Optional.empty())))
                .isEqualTo(RejectionCode.VALIDATION_FAILED);
        assertThat(code(limit(UUID.randomUUID(), "EUR", 1, Optional.empty()))).isEqualTo(RejectionCode.UNKNOWN_ACCOUNT);
        assertThat(code(limit(w.alice, "XYZ", 1, Optional.empty()))).isEqualTo(RejectionCode.UNKNOWN_CURRENCY);
    }

    @Test
    void anExchangeMovesBothCurrenciesAndRecordsTheRate() {
        openMarket(1_000);
        List<Outcome> outcomes = exchange("x1", 1_000, "2");
        assertThat(outcomes).allMatch(o -> o instanceof Outcome.Written);
        LedgerEntry buy = ((Outcome.Written) outcomes.get(1)).entry();
        assertThat(buy.type()).isEqualTo(EntryType.EXCHANGE);
        assertThat(buy.amountGross()).isEqualTo(20);
        assertThat(buy.taxWithheld()).isZero(); // 1 % of 20 GOLD rounds down to nothing
        assertThat(buy.taxKind()).isEqualTo(TaxKind.NONE);
        assertThat(buy.metadata().values()).containsEntry(Metadata.RATE, "2");
        assertThat(w.balance(w.alice)).isEqualTo(9_000);
        assertThat(exchange("x1", 1_000, "2")).allMatch(o -> o instanceof Outcome.Replayed);
    }

    @Test
    void anExchangeTheMarketCannotPayIsInsufficientLiquidityAndWritesNeitherLeg() {
        openMarket(10);
        List<Outcome> outcomes = exchange("x1", 1_000, "2");
        assertThat(code(outcomes.get(0))).isEqualTo(RejectionCode.LINKED_EVENT_FAILED);
        assertThat(code(outcomes.get(1))).isEqualTo(RejectionCode.INSUFFICIENT_LIQUIDITY);
        assertThat(w.balance(w.alice)).isEqualTo(10_000);
    }

    @Test
    void anOrdinaryAccountIsNoMarketAndAFrozenAccountCannotExchange() {
        Exchange viaBob = new Exchange("x1", w.alice, w.bob, eur(1_000), GOLD, BigDecimal.ONE, 0, CTX);
        Overlay overlay = w.overlay();
        assertThat(code(w.engine.applyLinked(viaBob.legs(), overlay, World.NOW).get(0)))
                .isEqualTo(RejectionCode.VALIDATION_FAILED);
        openMarket(1_000);
        w.apply(new Command.SetAccountFrozen(w.alice, true, Optional.of("test"), Optional.empty()));
        assertThat(code(exchange("x2", 1_000, "2").get(0))).isEqualTo(RejectionCode.ACCOUNT_FROZEN);
    }

    @Test
    void theTreasuryCannotExchange() {
        openMarket(1_000);
        Exchange x = new Exchange("x1", w.rules.treasuryId(), market, eur(1_000), GOLD, BigDecimal.ONE, 0, CTX);
        Overlay overlay = w.overlay();
        assertThat(code(w.engine.applyLinked(x.legs(), overlay, World.NOW).get(0)))
                .isEqualTo(RejectionCode.VALIDATION_FAILED);
    }
}
