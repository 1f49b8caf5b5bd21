package dev.tally.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A rejection is a value: a stable code, a sentence, and the field at fault when there is one. */
class RejectionTest {

    @Test
    void aValidationFailureNamesItsField() {
        Rejection r = Rejection.invalid("amount", "must be positive");

        assertThat(r.code()).isEqualTo(RejectionCode.VALIDATION_FAILED);
        assertThat(r.field()).contains("amount");
        assertThat(r).hasToString("VALIDATION_FAILED: must be positive");
    }

    @Test
    void aRejectionWithoutAFieldHasNone() {
        assertThat(Rejection.of(RejectionCode.INSUFFICIENT_FUNDS, "no").field()).isEmpty();
    }

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> new Rejection(null, "m", Optional.empty())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Rejection(RejectionCode.SAME_ACCOUNT, null, Optional.empty()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBlockingCallsExceptionCarriesTheRejection() {
        Rejection r = Rejection.of(RejectionCode.ACCOUNT_FROZEN, "frozen");

        RejectedException e = new RejectedException(r);

        assertThat(e.rejection()).isSameAs(r);
        assertThat(e.code()).isEqualTo(RejectionCode.ACCOUNT_FROZEN);
        assertThat(e).hasMessage("frozen");
    }

    @Test
    void everyCodeHasAnHttpStatus() {
        for (RejectionCode c : RejectionCode.values()) {
            assertThat(c.httpStatus()).as(c.name()).isBetween(400, 599);
        }
    }
}
