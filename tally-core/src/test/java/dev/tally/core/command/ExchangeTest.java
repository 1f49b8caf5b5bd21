package dev.tally.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExchangeTest {
    private static final Currency GOLD = new Currency("GOLD", 0);
    private static final Currency GEMS = new Currency("GEMS", 2);
    private static final UUID ACCOUNT = UUID.randomUUID();
    private static final UUID MARKET = UUID.randomUUID();

    private static Exchange exchange(String id, Money amount, Currency target, String rate, int feeBps) {
        return new Exchange(
                id, ACCOUNT, MARKET, amount, target, new BigDecimal(rate), feeBps, EntryContext.actor("test"));
    }

    @Test
    void theConvertedAmountIsRoundedDownToTheTargetScaleAndTheFeeToo() {
        Exchange x = exchange("x1", Money.ofMinor(GOLD, 7), GEMS, "2.3450", 100);
        assertThat(x.convertedMinor()).isEqualTo(1_641); // 16.415 GEMS
        assertThat(x.feeMinor()).isEqualTo(16); // 1 % of 16.41
        assertThat(x.rateText()).isEqualTo("2.345");
    }

    @Test
    void itBecomesASellAndABuyLegWithTheFeeOnTheBuyLeg() {
        List<Command.ExchangeLeg> legs =
                exchange("x1", Money.ofMinor(GEMS, 1_000), GOLD, "0.5", 50).legs();
        assertThat(legs).extracting(Command.ExchangeLeg::transactionId).containsExactly("x1.sell", "x1.buy");
        Command.ExchangeLeg sell = legs.get(0);
        Command.ExchangeLeg buy = legs.get(1);
        assertThat(sell.senderId()).isEqualTo(ACCOUNT);
        assertThat(sell.amount()).isEqualTo(Money.ofMinor(GEMS, 1_000));
        assertThat(sell.fee()).isZero();
        assertThat(buy.senderId()).isEqualTo(MARKET);
        assertThat(buy.amount()).isEqualTo(Money.ofMinor(GOLD, 5));
        assertThat(buy.fee()).isZero(); // 0.5 % of 5 rounds down to 0
        assertThat(buy.exchangeId()).isEqualTo("x1");
    }

    @Test
    void anExchangeThatRoundsToNothingOrConvertsACurrencyIntoItselfIsInvalid() {
        assertThatThrownBy(() -> exchange("x1", Money.ofMinor(GEMS, 1), GOLD, "0.5", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange("x1", Money.ofMinor(GOLD, 1), GOLD, "2", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRateFeeAccountsAndIdAreValidated() {
        Money gold = Money.ofMinor(GOLD, 10);
        assertThatThrownBy(() -> exchange("x1", gold, GEMS, "0", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange("x1", gold, GEMS, "1e30", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange("x1", gold, GEMS, "2", 1_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> exchange("x".repeat(124), gold, GEMS, "2", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new Exchange("x1", ACCOUNT, ACCOUNT, gold, GEMS, BigDecimal.ONE, 0, EntryContext.actor("test")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAmountBeyondTheMaximumConvertsToNothing() {
        assertThat(Exchange.converted(Money.ofMinor(GOLD, Money.MAX_MINOR), GEMS, new BigDecimal("1000")))
                .isEqualTo(-1);
    }
}
