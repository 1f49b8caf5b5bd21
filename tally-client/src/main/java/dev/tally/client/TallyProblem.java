package dev.tally.client;

import java.util.Optional;

/**
 * The server refused a request: its RFC 9457 problem, with Tally's stable {@link #code()} (such as
 * {@code INSUFFICIENT_FUNDS} or {@code DUPLICATE_TRANSACTION}) to switch on. Nothing was written.
 */
public final class TallyProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String title;
    private final String field;

    TallyProblem(int status, String code, String title, String detail, Optional<String> field) {
        super(status + " " + code + ": " + detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.field = field.orElse("");
    }

    /** The HTTP status (422, 409, 403, ...). */
    public int status() {
        return status;
    }

    /** The stable machine code. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The input field at fault, for validation failures. */
    public Optional<String> field() {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }
}
