package dev.tally.cli;

import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.core.error.VersionConflictException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Turns any failure into the CLI's contract: exactly one line on stderr ({@code tally: CODE: message})
 * and an exit code of {@link ExitCodes}. Set {@code TALLY_DEBUG=1} to also get the stack trace.
 */
public final class Failures {
    private Failures() {
    }

    /** Prints the failure's one line and returns its exit code. */
    public static int report(PrintWriter err, Throwable failure) {
        Throwable t = unwrap(failure);
        err.println("tally: " + oneLine(describe(t)));
        if (System.getenv("TALLY_DEBUG") != null) {
            t.printStackTrace(err);
        }
        err.flush();
        return exitCode(t);
    }

    /** The exit code of a failure. */
    public static int exitCode(Throwable failure) {
        return switch (unwrap(failure)) {
            case CliException c -> c.exitCode();
            // Rejections and invalid input (amounts, usernames, ids) are the user's to fix: exit 1.
            case RejectedException r -> ExitCodes.REJECTED;
            case VersionConflictException v -> ExitCodes.REJECTED;
            case IllegalArgumentException i -> ExitCodes.REJECTED;
            default -> ExitCodes.USAGE;
        };
    }

    private static String describe(Throwable t) {
        return switch (t) {
            case CliException c -> c.getMessage();
            case RejectedException r -> r.code() + ": " + r.getMessage();
            case VersionConflictException v -> RejectionCode.VERSION_CONFLICT + ": " + v.getMessage();
            case IllegalArgumentException i -> RejectionCode.VALIDATION_FAILED + ": " + i.getMessage();
            case StoreException s -> "store failure: " + s.getMessage();
            case TallyException x -> "failure: " + x.getMessage();
            default -> "internal error: " + t;
        };
    }

    /** Futures wrap the real failure; the user wants to see that one. */
    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Collapses a message that spans lines (SQL drivers like those) into one line. */
    public static String oneLine(@Nullable String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
