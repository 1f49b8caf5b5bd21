package dev.tally.server.http;

import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.money.Currency;
import dev.tally.core.money.InvalidAmountException;
import dev.tally.core.money.Money;
import dev.tally.core.text.SafeText;
import dev.tally.ledger.Ledger;
import java.util.Optional;

/**
 * Turns request fields into domain values, naming the field in every failure: accounts by id or
 * username, currencies, amounts, transaction ids. Validation happens here, at the edge, so nothing
 * invalid reaches the sequencer.
 */
final class Inputs {
    /** Longest account reference worth looking up (a UUID is 36, a username 64). */
    static final int MAX_ACCOUNT_REF = Account.MAX_USERNAME;

    private Inputs() {}

    /** The account a field names by id or username; UNKNOWN_ACCOUNT (404) with the field when there is none. */
    static Account account(Ledger ledger, String field, String idOrUsername) {
        return ledger.reads()
                .findAccount(idOrUsername)
                .orElseThrow(() -> ApiException.rejected(new Rejection(
                        RejectionCode.UNKNOWN_ACCOUNT, "no account " + idOrUsername, Optional.of(field))));
    }

    /** A required account field of a body. */
    static Account account(Ledger ledger, JsonBody body, String field) {
        return account(ledger, body.name(field), body.string(field, MAX_ACCOUNT_REF));
    }

    /**
     * The account (id and role) a required field names, through the server's remembered references; the same
     * validation and the same UNKNOWN_ACCOUNT (404) with the field as {@link #account(Ledger, JsonBody, String)}.
     */
    static AccountIds.Ref accountRef(ServerContext server, JsonBody body, String field) {
        String ref = body.string(field, MAX_ACCOUNT_REF);
        return server.accountIds()
                .resolve(server.ledger(), ref)
                .orElseThrow(() -> ApiException.rejected(new Rejection(
                        RejectionCode.UNKNOWN_ACCOUNT, "no account " + ref, Optional.of(body.name(field)))));
    }

    /** A currency of the ledger; a malformed code is VALIDATION_FAILED, an unknown one UNKNOWN_CURRENCY. */
    static Currency currency(Ledger ledger, JsonBody body, String field) {
        String code = body.string(field, 12);
        if (!Currency.isValidCode(code)) {
            throw ApiException.invalid(
                    body.name(field), body.name(field) + " must be a currency code such as EUR or GOLD");
        }
        return ledger.rules()
                .currencies()
                .find(code)
                .orElseThrow(() -> ApiException.rejected(new Rejection(
                        RejectionCode.UNKNOWN_CURRENCY,
                        "currency " + code + " is not enabled in this ledger",
                        Optional.of(body.name(field)))));
    }

    /** A positive decimal-string amount within the currency's scale and the ledger's maximum. */
    static Money amount(JsonBody body, String field, Currency currency) {
        String text = body.string(field, 40);
        try {
            return Money.parse(text, currency);
        } catch (InvalidAmountException e) {
            throw ApiException.invalid(body.name(field), e);
        }
    }

    /** A client transaction id (the idempotency key): 1-128 printable ASCII characters without spaces. */
    static String transactionId(String field, String id) {
        try {
            Command.requireTransactionId(id);
            return id;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, e);
        }
    }

    /** The body's transaction id, or the {@code Idempotency-Key} header as its alias; both must agree. */
    static String transactionId(JsonBody body, Optional<String> idempotencyKey) {
        Optional<String> inBody = body.optionalString("transaction_id", Command.MAX_TRANSACTION_ID + 1);
        if (inBody.isPresent() && idempotencyKey.isPresent() && !inBody.get().equals(idempotencyKey.get())) {
            throw ApiException.invalid(
                    "transaction_id",
                    "transaction_id and the Idempotency-Key header differ; send one, or the same value in both");
        }
        if (inBody.isPresent()) {
            return transactionId(body.name("transaction_id"), inBody.get());
        }
        if (idempotencyKey.isPresent()) {
            return transactionId("Idempotency-Key", idempotencyKey.get());
        }
        throw ApiException.invalid(
                body.name("transaction_id"),
                "transaction_id (or an Idempotency-Key header) is required: it makes retries safe");
    }

    /** A reason for a freeze: 1 to 500 characters, none of them a control or formatting character. */
    static Optional<String> reason(JsonBody body) {
        Optional<String> reason = body.optionalString("reason", Account.MAX_REASON)
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        reason.ifPresent(r -> {
            try {
                SafeText.requireSafe(body.name("reason"), r);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(body.name("reason"), e);
            }
        });
        return reason;
    }
}
