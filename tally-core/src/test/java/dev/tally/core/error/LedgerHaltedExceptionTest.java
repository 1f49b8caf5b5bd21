package dev.tally.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The failure of a command when the writer has stopped: a stable code and an honest word on durability. */
class LedgerHaltedExceptionTest {

    @Test
    void itCarriesTheStableCodeAnd503() {
        LedgerHaltedException e = new LedgerHaltedException("an unexpected failure");

        assertThat(e.code()).isEqualTo(RejectionCode.LEDGER_HALTED);
        assertThat(e.code().httpStatus()).isEqualTo(503);
        assertThat(e).isInstanceOf(TallyException.class);
    }

    @Test
    void aCommandRefusedAfterTheHaltWasNotWritten() {
        LedgerHaltedException e = new LedgerHaltedException("an unexpected failure");

        assertThat(e.mayHaveBeenWritten()).isFalse();
        assertThat(e.getMessage()).contains("was not written", "restart");
        assertThat(e.reason()).isEqualTo("an unexpected failure");
    }

    @Test
    void aCommandWhoseCommitWasInDoubtSaysToResendWithTheSameId() {
        Throwable cause = new CommitOutcomeUnknownException("no answer to COMMIT", new java.io.IOException("reset"));

        LedgerHaltedException e = new LedgerHaltedException("a commit's outcome is unknown", true, cause);

        assertThat(e.mayHaveBeenWritten()).isTrue();
        assertThat(e.getMessage()).contains("may have been written", "same transaction id");
        assertThat(e.getCause()).isSameAs(cause);
    }
}
