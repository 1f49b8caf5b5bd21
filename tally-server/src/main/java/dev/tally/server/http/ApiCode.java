package dev.tally.server.http;

/**
 * The machine codes of failures that belong to HTTP rather than to the ledger (the ledger's own are
 * {@link dev.tally.core.error.RejectionCode}s, which the API answers with unchanged). Stable: clients
 * switch on them, so a name never changes once released.
 */
public enum ApiCode {
    BAD_REQUEST(400, "The HTTP request is malformed"),
    MALFORMED_JSON(400, "The body is not valid JSON"),
    UNAUTHORIZED(401, "A valid API key is required"),
    FORBIDDEN(403, "This API key may not do that"),
    PRIVILEGED_ACCOUNT(403, "Only an admin key may debit or change this account"),
    NOT_FOUND(404, "No such resource"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    DUPLICATE_KEY_NAME(409, "Duplicate key name"),
    LAST_ADMIN_KEY(409, "The last admin key cannot be revoked"),
    PRECONDITION_FAILED(412, "The resource changed since it was read"),
    PAYLOAD_TOO_LARGE(413, "The body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "The body must be JSON"),
    VALIDATION_FAILED(422, "The request is invalid"),
    PRECONDITION_REQUIRED(428, "An If-Match header is required"),
    INTERNAL_ERROR(500, "Internal error"),
    SHUTTING_DOWN(503, "The server is shutting down"),
    NOT_YET_CHECKPOINTED(503, "No signed checkpoint covers the entry yet"),
    STORE_UNAVAILABLE(503, "The store is unavailable");

    private final int status;
    private final String title;

    ApiCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
