package dev.tally.ledger;

import dev.tally.core.error.TallyException;

/** A read replica that is down or lags too far, where the configuration says to fail rather than read the primary. */
public final class ReplicaUnavailableException extends TallyException {
    private static final long serialVersionUID = 1L;

    public ReplicaUnavailableException(String message) {
        super(message);
    }
}
