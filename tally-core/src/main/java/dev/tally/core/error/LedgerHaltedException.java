package dev.tally.core.error;

/**
 * The ledger's writer has stopped after a failure it does not understand, and writes nothing until the
 * process is restarted by an operator. Carries the stable code {@link RejectionCode#LEDGER_HALTED}.
 *
 * <p>{@link #mayHaveBeenWritten()} is true only for the commands whose batch was committing when the writer
 * stopped: whether they are durable is unknown, and a client finds out by resending them with the same
 * transaction id once the ledger runs again (a resend of a written command is answered as a replay, never
 * written twice). Every other command that gets this failure was not written.
 */
public final class LedgerHaltedException extends TallyException {
    private final String reason;
    private final boolean mayHaveBeenWritten;

    public LedgerHaltedException(String reason, boolean mayHaveBeenWritten, Throwable cause) {
        super(message(reason, mayHaveBeenWritten), cause);
        this.reason = reason;
        this.mayHaveBeenWritten = mayHaveBeenWritten;
    }

    /** A refusal of a command submitted after the writer stopped: nothing was written. */
    public LedgerHaltedException(String reason) {
        super(message(reason, false));
        this.reason = reason;
        this.mayHaveBeenWritten = false;
    }

    public RejectionCode code() {
        return RejectionCode.LEDGER_HALTED;
    }

    /** Why the writer stopped, for the operator. */
    public String reason() {
        return reason;
    }

    /** Whether the command may be durable after all (its commit's outcome is unknown). */
    public boolean mayHaveBeenWritten() {
        return mayHaveBeenWritten;
    }

    private static String message(String reason, boolean mayHaveBeenWritten) {
        return "the ledger stopped writing (" + reason + "); an operator must restart it"
                + (mayHaveBeenWritten
                        ? "; this command may have been written: resend it with the same transaction id after the restart"
                        : "; this command was not written");
    }
}
