package dev.tally.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A recorded scale is changed only by a configuration that names the currency with another scale. */
class RecordedScaleTest {
    private static final RecordedScale EUR_2 = new RecordedScale("EUR", OptionalInt.of(2), 7);

    @Test
    void theSameScaleChangesNothing() {
        assertThat(EUR_2.changeBy(Currencies.defaults())).isEmpty();
    }

    @Test
    void anotherScaleIsAChange() {
        assertThat(EUR_2.changeBy(Currencies.of(List.of(new Currency("EUR", 3)))))
                .contains(new ScaleChange("EUR", 2, 3, 7));
    }

    @Test
    void leavingTheCurrencyOutChangesNothing() {
        assertThat(EUR_2.changeBy(Currencies.of(List.of(new Currency("JPY", 0)))))
                .isEmpty();
    }

    @Test
    void aScaleNotYetRecordedIsNotAChange() {
        assertThat(new RecordedScale("EUR", OptionalInt.empty(), 7)
                        .changeBy(Currencies.of(List.of(new Currency("EUR", 3)))))
                .isEmpty();
    }
}
