package dev.tally.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountLimitsTest {
    @Test
    void limitsRoundTripThroughTheirStoredText() {
        AccountLimits limits = AccountLimits.NONE
                .with("GOLD", new AccountLimit(0, Optional.of(500L)))
                .with("EUR", new AccountLimit(5_000, Optional.empty()));
        assertThat(limits.encode()).isEqualTo("EUR:5000:-;GOLD:0:500");
        assertThat(AccountLimits.parse(Optional.of(limits.encode()))).isEqualTo(limits);
    }

    @Test
    void theDefaultLimitIsNotStoredAndAnUnsetCurrencyHasIt() {
        AccountLimits limits = AccountLimits.NONE.with("EUR", AccountLimit.NONE);
        assertThat(limits.isEmpty()).isTrue();
        assertThat(limits.encode()).isEmpty();
        assertThat(limits.of("EUR")).isEqualTo(AccountLimit.NONE);
        assertThat(AccountLimits.parse(Optional.empty())).isEqualTo(AccountLimits.NONE);
        assertThat(AccountLimits.parse(Optional.of(""))).isEqualTo(AccountLimits.NONE);
    }

    @Test
    void malformedStoredTextIsRefused() {
        assertThatThrownBy(() -> AccountLimits.parse(Optional.of("EUR:5000")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountLimits.parse(Optional.of("eur:1:-")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLimitIsNonNegativeAndAtMostTheMaximumAmount() {
        assertThatThrownBy(() -> new AccountLimit(-1, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccountLimit(0, Optional.of(-1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccountLimit(2_000_000_000_000_000L, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCreditLimitAllowsBalancesDownToMinusItAndACapRefusesAboveIt() {
        AccountLimit limit = new AccountLimit(100, Optional.of(1_000L));
        assertThat(limit.allowsBalance(-100)).isTrue();
        assertThat(limit.allowsBalance(-101)).isFalse();
        assertThat(limit.exceedsCap(1_000)).isFalse();
        assertThat(limit.exceedsCap(1_001)).isTrue();
        assertThat(AccountLimit.NONE.exceedsCap(Long.MAX_VALUE)).isFalse();
    }
}
