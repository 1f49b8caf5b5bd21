package dev.tally.core.error;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a command was refused: a stable code, a sentence a person understands, and the input field at
 * fault when there is one. A rejection is a value, not an exception: the sequencer returns one per command
 * and writes nothing for it.
 */
public record Rejection(RejectionCode code, String message, Optional<String> field) {
    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(field, "field");
    }

    public static Rejection of(RejectionCode code, String message) {
        return new Rejection(code, message, Optional.empty());
    }

    /** A validation failure of one named input field. */
    public static Rejection invalid(String field, String message) {
        return new Rejection(RejectionCode.VALIDATION_FAILED, message, Optional.of(field));
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
