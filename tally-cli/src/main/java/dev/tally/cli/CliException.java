package dev.tally.cli;

/**
 * A failure the CLI itself detected, with the exit code it ends with (see {@link ExitCodes}) and the
 * message printed after {@code tally: }.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage error: a flag or argument that cannot work (exit 2). */
    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    /** The message every constructor takes; never null. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        return message != null ? message : "failed";
    }

    public int exitCode() {
        return exitCode;
    }
}
