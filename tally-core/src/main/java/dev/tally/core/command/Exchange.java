package dev.tally.core.command;

import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A currency exchange: {@code amount} of the account's money in one currency converted into {@code target}
 * at {@code rate} (units of the target per unit of the source) through the market (liquidity) account
 * {@code marketId}, with an optional fee in basis points of the converted amount for the treasury.
 *
 * <p>Rounding, stated once: the converted amount is {@code amount × rate} rounded <em>down</em> to the target
 * currency's scale, so the market never pays out a fraction it was not paid for; the fee is the converted
 * amount × {@code feeBps} / 10 000, also rounded down. What the account receives is the converted amount
 * less the fee. An exchange whose converted amount rounds to zero, or whose fee would take all of it, is
 * invalid.
 *
 * <p>It becomes two {@link Command.ExchangeLeg}s, decided as one linked batch: {@code transactionId + ".sell"}
 * (account to market, source currency) and {@code transactionId + ".buy"} (market to account, target
 * currency, the fee to the treasury). Each currency's supply is untouched: an exchange only moves money.
 */
public record Exchange(
        String transactionId,
        UUID accountId,
        UUID marketId,
        Money amount,
        Currency target,
        BigDecimal rate,
        int feeBps,
        EntryContext context) {
    /** The longest client transaction id of an exchange: its legs add a suffix to it. */
    public static final int MAX_TRANSACTION_ID = Command.MAX_TRANSACTION_ID - 5;

    /** The largest fee, in basis points (10 %). */
    public static final int MAX_FEE_BPS = 1000;

    public Exchange {
        Command.requireTransactionId(transactionId);
        if (transactionId.length() > MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException(
                    "an exchange's transaction_id must be at most " + MAX_TRANSACTION_ID + " characters");
        }
        Objects.requireNonNull(accountId, "account_id");
        Objects.requireNonNull(marketId, "market_id");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(context, "context");
        if (accountId.equals(marketId)) {
            throw new IllegalArgumentException("the account and the market must be different accounts");
        }
        if (amount.currency().code().equals(target.code())) {
            throw new IllegalArgumentException("an exchange converts between two different currencies");
        }
        if (rate.signum() <= 0
                || rate.precision() > 18
                || rate.scale() > 18
                || rate.compareTo(BigDecimal.valueOf(Money.MAX_MINOR)) > 0) {
            throw new IllegalArgumentException(
                    "rate must be a positive decimal of at most 18 digits, 18 decimals and 10^18");
        }
        if (feeBps < 0 || feeBps > MAX_FEE_BPS) {
            throw new IllegalArgumentException("fee_bps must be between 0 and " + MAX_FEE_BPS);
        }
        if (converted(amount, target, rate) <= 0) {
            throw new IllegalArgumentException("the converted amount rounds to zero at this rate");
        }
    }

    /** {@code amount × rate} in minor units of {@code target}, rounded down; -1 when beyond the maximum. */
    public static long converted(Money amount, Currency target, BigDecimal rate) {
        BigDecimal major = BigDecimal.valueOf(amount.minor(), amount.currency().scale());
        BigDecimal minor = major.multiply(rate).movePointRight(target.scale()).setScale(0, RoundingMode.DOWN);
        return minor.compareTo(BigDecimal.valueOf(Money.MAX_MINOR)) > 0 ? -1 : minor.longValueExact();
    }

    /** The converted amount, in minor units of the target currency. */
    public long convertedMinor() {
        return converted(amount, target, rate);
    }

    /** The fee, in minor units of the target currency, rounded down. */
    public long feeMinor() {
        return BigDecimal.valueOf(convertedMinor())
                .multiply(BigDecimal.valueOf(feeBps))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.DOWN)
                .longValueExact();
    }

    /** The rate as it is recorded: a plain decimal without trailing zeros. */
    public String rateText() {
        return rate.stripTrailingZeros().toPlainString();
    }

    /** The two legs, sell then buy, to submit as one linked batch. */
    public List<Command.ExchangeLeg> legs() {
        // The fee is at most 10 % of the converted amount, rounded down, so it is always less than all of it.
        long out = convertedMinor();
        long fee = feeMinor();
        Command.ExchangeLeg sell = new Command.ExchangeLeg(
                sellId(transactionId), accountId, marketId, amount, 0, transactionId, rateText(), true, context);
        Command.ExchangeLeg buy = new Command.ExchangeLeg(
                buyId(transactionId),
                marketId,
                accountId,
                Money.ofMinor(target, out),
                fee,
                transactionId,
                rateText(),
                false,
                context);
        return List.of(sell, buy);
    }

    /** The transaction id of an exchange's sell leg. */
    public static String sellId(String exchangeId) {
        return exchangeId + ".sell";
    }

    /** The transaction id of an exchange's buy leg. */
    public static String buyId(String exchangeId) {
        return exchangeId + ".buy";
    }
}
