package dev.tally.client;

/** An inclusion proof did not check out: the ledger's host may not be trusted for this entry. */
public final class ProofRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProofRejected(String message) {
        super(message);
    }

    ProofRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
