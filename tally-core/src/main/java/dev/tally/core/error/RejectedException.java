package dev.tally.core.error;

/**
 * Thrown by the blocking library calls when a command was rejected; carries the {@link Rejection}.
 * Nothing was written.
 */
public class RejectedException extends TallyException {
    private final transient Rejection rejection;

    public RejectedException(Rejection rejection) {
        super(rejection.message());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }

    public RejectionCode code() {
        return rejection.code();
    }
}
