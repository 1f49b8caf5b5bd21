package dev.tally.core.tax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.ledger.EntryType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TaxPolicyTest {
    private static final UUID PAYER = UUID.randomUUID();

    @Test
    void roundsHalfToEven() {
        assertThat(TaxPolicy.roundHalfEven(50, 100)).isZero(); // 0.5 -> 0
        assertThat(TaxPolicy.roundHalfEven(150, 100)).isEqualTo(2); // 1.5 -> 2
        assertThat(TaxPolicy.roundHalfEven(250, 100)).isEqualTo(2); // 2.5 -> 2
        assertThat(TaxPolicy.roundHalfEven(251, 100)).isEqualTo(3); // 2.51 -> 3
    }

    @Property
    void matchesBigDecimalHalfEvenForEveryAmount(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long amount,
            @ForAll @IntRange(min = 0, max = 10_000) int bps) {
        long expected = BigDecimal.valueOf(amount)
                .multiply(BigDecimal.valueOf(bps))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
        assertThat(TaxPolicy.roundHalfEven(amount, bps)).isEqualTo(expected);
    }

    @Test
    void eachPaymentTypeHasItsOwnRate() {
        TaxPolicy p = TaxPolicy.defaults();
        assertThat(p.taxOn(EntryType.TRANSFER, "EUR", 10_000, PAYER, false)).isEqualTo(100);
        assertThat(p.taxOn(EntryType.PURCHASE, "EUR", 10_000, PAYER, false)).isEqualTo(2000);
        assertThat(p.taxOn(EntryType.INCOME, "EUR", 10_000, PAYER, false)).isEqualTo(1000);
        assertThat(p.taxOn(EntryType.MINT, "EUR", 10_000, PAYER, false)).isZero();
    }

    @Test
    void aCurrencyOverrideWins() {
        TaxPolicy p = TaxPolicy.builder()
                .rate(EntryType.TRANSFER, 100)
                .rate(EntryType.TRANSFER, "GOLD", 500)
                .build();
        assertThat(p.taxOn(EntryType.TRANSFER, "GOLD", 1000, PAYER, false)).isEqualTo(50);
        assertThat(p.taxOn(EntryType.TRANSFER, "EUR", 1000, PAYER, false)).isEqualTo(10);
    }

    @Test
    void exemptPayersPayNothing() {
        TaxPolicy p =
                TaxPolicy.builder().rate(EntryType.TRANSFER, 100).exempt(PAYER).build();
        assertThat(p.taxOn(EntryType.TRANSFER, "EUR", 10_000, PAYER, false)).isZero();
        assertThat(p.taxOn(EntryType.TRANSFER, "EUR", 10_000, UUID.randomUUID(), true))
                .isZero();
    }
}
