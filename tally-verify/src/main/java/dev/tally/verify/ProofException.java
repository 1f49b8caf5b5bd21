package dev.tally.verify;

import java.util.Objects;

/**
 * Thrown when input handed to this package is unusable: unparseable text, a hash of the wrong length,
 * an index outside its tree, or a signed note whose signature does not verify. The {@link #reason()}
 * tells callers which of these happened without parsing the message. Verification methods that answer
 * a yes/no question ({@code Proofs.verify*}, {@code ProofDocument.verify()}) return {@code false} instead
 * of throwing.
 */
public final class ProofException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** The text, JSON, key or hash is not in the required format. */
        MALFORMED,
        /** A signed note carries no valid signature from the expected key, or a bad one. */
        BAD_SIGNATURE,
        /** A tree size, leaf index or stored-hash coordinate is negative or outside its tree. */
        OUT_OF_RANGE
    }

    private final Reason reason;

    /** Creates an exception with the given reason and human-readable message. */
    public ProofException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Creates an exception with the given reason, message and cause. */
    public ProofException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The human-readable message; never null, as every constructor takes one. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage(), "message");
    }

    /** The reason the input was refused; never null. */
    public Reason reason() {
        return reason;
    }

    static ProofException malformed(String format, Object... args) {
        return new ProofException(Reason.MALFORMED, String.format(format, args));
    }

    static ProofException outOfRange(String format, Object... args) {
        return new ProofException(Reason.OUT_OF_RANGE, String.format(format, args));
    }

    static ProofException badSignature(String format, Object... args) {
        return new ProofException(Reason.BAD_SIGNATURE, String.format(format, args));
    }
}
