package dev.tally.cli;

import dev.tally.core.error.LedgerHaltedException;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.core.error.VersionConflictException;
import dev.tally.store.NoLedgerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Turns any failure into the CLI's contract: exactly one line on stderr ({@code tally: CODE: message})
 * and an exit code of {@link ExitCodes}. Set {@code TALLY_DEBUG=1} to also get the stack trace.
 */
public final class Failures {
    private Failures() {}

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

    /**
     * The exit code of a failure. Exit 1 is kept for one answer, "no": the ledger refused a well-formed
     * command because of its state (funds, frozen, duplicate, unknown account...), or a check found the
     * ledger not valid. Everything wrong with the command itself (an option, a malformed value, a file, the
     * location of the ledger) is exit 2, so that monitoring never mistakes a typo for tampering.
     */
    public static int exitCode(Throwable failure) {
        return switch (unwrap(failure)) {
            case CliException c -> c.exitCode();
            case RejectedException r ->
                r.code() == RejectionCode.VALIDATION_FAILED ? ExitCodes.USAGE : ExitCodes.REJECTED;
            case VersionConflictException v -> ExitCodes.REJECTED;
            default -> ExitCodes.USAGE;
        };
    }

    private static String describe(Throwable t) {
        return switch (t) {
            case CliException c -> c.getMessage();
            case RejectedException r -> r.code() + ": " + r.getMessage();
            case VersionConflictException v -> RejectionCode.VERSION_CONFLICT + ": " + v.getMessage();
            case IllegalArgumentException i -> RejectionCode.VALIDATION_FAILED + ": " + i.getMessage();
            case NoLedgerException n -> LedgerCommand.redact(n.getMessage());
            case LedgerHaltedException h -> h.code() + ": " + h.getMessage();
            case UncheckedIOException u ->
                fileProblem(
                        String.valueOf(u.getMessage()),
                        java.util.Objects.requireNonNull(u.getCause(), "its constructors require a cause"));
            case IOException io -> fileProblem("cannot use " + pathOf(io).orElse("a file"), io);
            case StoreException s -> "store failure: " + s.getMessage();
            case TallyException x -> "failure: " + x.getMessage();
            default -> "internal error: " + t;
        };
    }

    /**
     * What went wrong with a file, in words: the context of {@code message} ("cannot read the public key K")
     * with the I/O exception's own text (often just the path again, or a Java class name) replaced by what it
     * means; a message already written for people is kept.
     */
    private static String fileProblem(String message, IOException cause) {
        if (cause == null) {
            return message;
        }
        String detail = cause.getMessage();
        if (message == null || message.equals(cause.toString())) {
            return "file error: " + reason(cause);
        }
        if (detail != null && message.endsWith(": " + detail)) {
            return message.substring(0, message.length() - detail.length() - 2) + ": " + reason(cause);
        }
        return message;
    }

    /** An I/O failure as a person would say it, naming the file when it is not the one already named. */
    private static String reason(IOException e) {
        String path = pathOf(e).map(p -> " (" + p + ")").orElse("");
        return switch (e) {
            case NoSuchFileException n -> "no such file or directory" + path;
            case AccessDeniedException a -> "permission denied" + path;
            case NotDirectoryException d -> "not a directory" + path;
            case FileSystemException f
            when f.getReason() != null -> f.getReason().toLowerCase(java.util.Locale.ROOT) + path;
            case CharacterCodingException c -> "not a text file (its bytes are not UTF-8)";
            default -> lowerFirst(oneLine(e.getMessage()));
        };
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static java.util.Optional<String> pathOf(IOException e) {
        return e instanceof FileSystemException f
                ? java.util.Optional.ofNullable(f.getFile())
                : java.util.Optional.empty();
    }

    /** Futures wrap the real failure; the user wants to see that one. */
    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Collapses a message that spans lines (SQL drivers like those) into one line. */
    public static String oneLine(@Nullable String message) {
        // Escaped too: a message may quote what the user typed or what the ledger holds.
        return message == null
                ? ""
                : dev.tally.core.text.SafeText.escape(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }
}
