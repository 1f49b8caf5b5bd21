package dev.tally.server.http;

import dev.tally.core.error.Rejection;

/**
 * Stops a request with a {@link Problem}: thrown by validation and handlers, rendered as problem+json by
 * the dispatcher. Nothing has been written when it is thrown.
 */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ApiException of(ApiCode code, String detail) {
        return new ApiException(Problem.of(code, detail));
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(Problem.invalid(field, detail));
    }

    /** A field whose value a parser refused; the parser's message says why. */
    public static ApiException invalid(String field, IllegalArgumentException refusal) {
        String why = refusal.getMessage();
        return invalid(field, why != null ? why : "invalid value");
    }

    public static ApiException rejected(Rejection rejection) {
        return new ApiException(Problem.rejection(rejection));
    }

    public Problem problem() {
        return problem;
    }
}
