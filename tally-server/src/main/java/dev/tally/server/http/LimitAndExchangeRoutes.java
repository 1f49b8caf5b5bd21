package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.account.AccountLimit;
import dev.tally.core.command.Command;
import dev.tally.core.command.Exchange;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.InvalidAmountException;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Account limits ({@code PUT /v1/accounts/{id}/limits/{currency}}, admin, under {@code If-Match}) and
 * currency exchange ({@code POST /v1/exchanges}).
 */
final class LimitAndExchangeRoutes {
    private LimitAndExchangeRoutes() {}

    static List<Route> routes() {
        return List.of(
                new Route(
                        "PUT",
                        "/v1/accounts/{id}/limits/{currency}",
                        Access.ADMIN,
                        "Set an account's credit limit and max balance in one currency (If-Match required)",
                        LimitAndExchangeRoutes::setLimit),
                new Route(
                        "POST",
                        "/v1/exchanges",
                        Access.SERVICE,
                        "Exchange one currency for another through a market account",
                        LimitAndExchangeRoutes::exchange));
    }

    /** {@code {"credit_limit": "50.00", "max_balance": "1000.00" | null}}; an absent field is its default. */
    private static void setLimit(Call call) {
        String ref = call.path("id");
        if (ref.length() > Inputs.MAX_ACCOUNT_REF) {
            throw ApiException.invalid(
                    "id", "an account id or username is at most " + Inputs.MAX_ACCOUNT_REF + " characters");
        }
        Account current = Inputs.account(call.ledger(), "id", ref);
        Reach.requireMayChange(call, current.role(), "id");
        long expected = AccountRoutes.ifMatch(call, current)
                .orElseThrow(() -> ApiException.of(
                        ApiCode.PRECONDITION_REQUIRED,
                        "send If-Match with the ETag you read (the account's version) so that no change is lost"));
        Currency currency = currency(call, call.path("currency"));
        JsonBody body = call.body().only("credit_limit", "max_balance");
        long credit = body.optionalString("credit_limit", 40)
                .map(t -> nonNegative(body, "credit_limit", t, currency))
                .orElse(0L);
        Optional<Long> max =
                body.optionalString("max_balance", 40).map(t -> nonNegative(body, "max_balance", t, currency));
        AccountLimit limit;
        try {
            limit = new AccountLimit(credit, max);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("credit_limit", e);
        }
        Outcome o = Outcomes.await(call.ledger()
                .submit(new Command.SetAccountLimit(current.id(), currency.code(), limit, Optional.of(expected))));
        if (o instanceof Outcome.Rejected r && r.rejection().code() == RejectionCode.VERSION_CONFLICT) {
            throw ApiException.of(ApiCode.PRECONDITION_FAILED, r.rejection().message());
        }
        Account a = Outcomes.account(o);
        call.recordAdminAction(
                "SET_ACCOUNT_LIMIT",
                Optional.of(a.id() + " (" + a.username() + ")"),
                Optional.of(currency.code() + " credit_limit " + Money.format(credit, currency.scale())
                        + ", max_balance "
                        + max.map(m -> Money.format(m, currency.scale())).orElse("none")));
        AccountRoutes.respond(call, 200, a);
    }

    private static Currency currency(Call call, String code) {
        if (!Currency.isValidCode(code)) {
            throw ApiException.invalid("currency", "currency must be a currency code such as EUR or GOLD");
        }
        return call.ledger()
                .rules()
                .currencies()
                .find(code)
                .orElseThrow(() -> ApiException.rejected(new dev.tally.core.error.Rejection(
                        RejectionCode.UNKNOWN_CURRENCY,
                        "currency " + code + " is not enabled in this ledger",
                        Optional.of("currency"))));
    }

    /** A decimal string of zero or more, within the currency's scale. */
    private static long nonNegative(JsonBody body, String field, String text, Currency currency) {
        if (text.matches("0(\\.0+)?")) {
            if (text.length() > 2 + currency.scale()) {
                throw ApiException.invalid(body.name(field), field + " has more decimals than " + currency.code());
            }
            return 0;
        }
        try {
            return Money.parse(text, currency).minor();
        } catch (InvalidAmountException e) {
            throw ApiException.invalid(body.name(field), e);
        }
    }

    /**
     * {@code {"transaction_id", "account_id", "market_id", "currency", "amount", "target_currency", "rate",
     * "fee_bps"?, "metadata"?}}: answers 201 with both legs, or 200 with them for a replay.
     */
    private static void exchange(Call call) {
        JsonBody body = call.body()
                .only(
                        "transaction_id",
                        "account_id",
                        "market_id",
                        "currency",
                        "amount",
                        "target_currency",
                        "rate",
                        "fee_bps",
                        "metadata");
        String id = Inputs.transactionId(body, call.header("Idempotency-Key"));
        Account account = Inputs.account(call.ledger(), body, "account_id");
        Reach.requireMayDebit(call, account.role(), "account_id");
        Account market = Inputs.account(call.ledger(), body, "market_id");
        Currency source = Inputs.currency(call.ledger(), body, "currency");
        Money amount = Inputs.amount(body, "amount", source);
        Currency target = Inputs.currency(call.ledger(), body, "target_currency");
        BigDecimal rate;
        try {
            rate = new BigDecimal(body.string("rate", 40));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("rate", "rate must be a decimal string such as \"2.5\"");
        }
        long feeBps = body.optionalLong("fee_bps").orElse(0L);
        if (feeBps < 0 || feeBps > Exchange.MAX_FEE_BPS) {
            throw ApiException.invalid("fee_bps", "fee_bps must be between 0 and " + Exchange.MAX_FEE_BPS);
        }
        Exchange exchange;
        try {
            exchange = new Exchange(
                    id,
                    account.id(),
                    market.id(),
                    amount,
                    target,
                    rate,
                    (int) feeBps,
                    call.entryContext().withMetadata(body.metadata()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    e.getMessage() != null && e.getMessage().contains("rate") ? "rate" : "amount", e);
        }
        boolean existed = call.ledger().reads().findEntry(Exchange.sellId(id)).isPresent();
        List<LedgerEntry> legs;
        try {
            legs = call.ledger().exchange(exchange);
        } catch (dev.tally.core.error.RejectedException e) {
            throw ApiException.rejected(e.rejection());
        }
        ObjectNode o = Views.object();
        o.put("transaction_id", id);
        o.put("rate", exchange.rateText());
        o.put("fee_bps", feeBps);
        ArrayNode entries = Views.entries(legs, call.ledger().reads()::currencyOrScale);
        o.set("entries", entries);
        call.responseHeader("Location", "/v1/transactions/" + Exchange.buyId(id));
        call.json(existed ? 200 : 201, o);
    }
}
