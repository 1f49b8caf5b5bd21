package dev.tally.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
    @Test
    void parsesAPlainDecimalIntoMinorUnits() {
        assertThat(Money.parse("12.50", Currency.EUR).minor()).isEqualTo(1250);
        assertThat(Money.parse("7", Currency.EUR).minor()).isEqualTo(700);
        assertThat(Money.parse("0.01", Currency.EUR).minor()).isEqualTo(1);
    }

    @Test
    void printsWithExactlyTheCurrencyScale() {
        assertThat(Money.ofMinor(Currency.EUR, 10000).toDecimalString()).isEqualTo("100.00");
        assertThat(Money.ofMinor(new Currency("GOLD", 0), 5).toDecimalString()).isEqualTo("5");
    }

    @Test
    void acceptsTrailingZerosBeyondTheScale() {
        assertThat(Money.parse("1.500", Currency.EUR).minor()).isEqualTo(150);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.001",
                "-5",
                "0",
                "0.00",
                "abc",
                "1e5",
                "NaN",
                "Infinity",
                " 1",
                "1,00",
                "+1",
                ".5",
                "1.",
                "",
                "99999999999999999999",
                "10000000000000.01"
            })
    void rejectsAnythingButAPositivePlainDecimalWithinScaleAndRange(String text) {
        assertThatThrownBy(() -> Money.parse(text, Currency.EUR)).isInstanceOf(InvalidAmountException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00001.00", "01", "00.50", "007"})
    void rejectsLeadingZerosSoThatEveryAmountHasOneSpelling(String text) {
        assertThatThrownBy(() -> Money.parse(text, Currency.EUR))
                .isInstanceOf(InvalidAmountException.class)
                .hasMessageContaining("leading zeros");
    }

    @Test
    void acceptsASingleZeroBeforeTheDecimalPoint() {
        assertThat(Money.parse("0.50", Currency.EUR).minor()).isEqualTo(50);
        assertThat(Money.parse("10.00", Currency.EUR).minor()).isEqualTo(1000);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Money.parse(null, Currency.EUR)).isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void theLargestAmountParses() {
        assertThat(Money.parse("10000000000000.00", Currency.EUR).minor()).isEqualTo(Money.MAX_MINOR);
    }

    @Test
    void subtractionBelowZeroFailsLoudly() {
        Money one = Money.ofMinor(Currency.EUR, 100);
        Money two = Money.ofMinor(Currency.EUR, 200);
        assertThatThrownBy(() -> one.minus(two)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void additionOverflowFailsLoudly() {
        Money big = Money.ofMinor(Currency.EUR, Long.MAX_VALUE);
        assertThatThrownBy(() -> big.plus(Money.ofMinor(Currency.EUR, 1))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void currencyCodesAreValidated() {
        assertThatThrownBy(() -> new Currency("eur", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Currency("EUR", 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
