package dev.tally.core.error;

/**
 * Stable machine codes for every way a command can be refused. The CLI prints them, HTTP puts them in
 * problem+json's {@code code}; their names never change once released.
 */
public enum RejectionCode {
    VALIDATION_FAILED(422),
    UNKNOWN_ACCOUNT(404),
    UNKNOWN_CURRENCY(422),
    UNKNOWN_TRANSACTION(404),
    INSUFFICIENT_FUNDS(422),
    ACCOUNT_FROZEN(423),
    LEDGER_FROZEN(423),
    SAME_ACCOUNT(422),
    DUPLICATE_TRANSACTION(409),
    DUPLICATE_USERNAME(409),
    DUPLICATE_EMAIL(409),
    VERSION_CONFLICT(409),
    BALANCE_OVERFLOW(422),
    NOT_REVERSIBLE(422),
    ALREADY_REVERSED(409),
    LINKED_EVENT_FAILED(422),
    /** The transaction named to post or void is not a pending transfer. */
    NOT_PENDING(422),
    /** The pending transfer was already posted (completed); nothing was written. */
    PENDING_ALREADY_POSTED(409),
    /** The pending transfer was already voided, by a client or by its expiry; nothing was written. */
    PENDING_ALREADY_VOIDED(409),
    /** The pending transfer's timeout has passed: it can no longer be posted; nothing was written. */
    PENDING_EXPIRED(409),
    INTEGRITY_UNVERIFIED(503),
    /** The single writer stopped after a failure it does not understand; only a restart resumes writing. */
    LEDGER_HALTED(503),
    /** The fraud shield refused the payment; an event is open for review. */
    FRAUD_SUSPECTED(422),
    /** A debit would take the balance further below zero than the account's credit limit allows. */
    CREDIT_LIMIT_EXCEEDED(422),
    /** A credit would take the balance above the account's max_balance in that currency. */
    MAX_BALANCE_EXCEEDED(422),
    /** The market account of an exchange does not hold the amount to pay out in the target currency. */
    INSUFFICIENT_LIQUIDITY(422);

    private final int httpStatus;

    RejectionCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status an API answers this rejection with. */
    public int httpStatus() {
        return httpStatus;
    }
}
