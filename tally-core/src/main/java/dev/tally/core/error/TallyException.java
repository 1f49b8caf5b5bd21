package dev.tally.core.error;

/** The root of Tally's unchecked exceptions. Subclasses are named after what failed. */
public class TallyException extends RuntimeException {
    public TallyException(String message) {
        super(message);
    }

    public TallyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message every constructor takes; never null. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        return message != null ? message : getClass().getSimpleName();
    }
}
