package dev.tally.core.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exact amount of one currency, held as a count of minor units. Amounts that move (commands, entries)
 * are always positive; a holding is negative only for an account drawing on its credit limit
 * ({@link dev.tally.core.account.AccountLimit}), so a balance may be below zero, never an amount sent.
 *
 * <p>Money never touches floating point. Parsing is strict: {@link #parse} accepts only plain decimal
 * strings such as {@code "100.00"} and rejects more decimals than the currency has, signs, exponents,
 * leading zeros ({@code "007.00"}: one spelling per amount), and values beyond {@link #MAX_MINOR}. Arithmetic overflows loudly.
 */
public record Money(Currency currency, long minor) implements Comparable<Money> {
    /**
     * The largest amount one entry or balance may hold, in minor units. It leaves headroom under
     * {@link Long#MAX_VALUE} so that sums across many accounts in reconciliation cannot wrap.
     */
    public static final long MAX_MINOR = 1_000_000_000_000_000L;

    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,18})(\\.[0-9]{1,18})?");

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    /** Zero of a currency. */
    public static Money zero(Currency currency) {
        return new Money(currency, 0);
    }

    /** An amount of minor units. */
    public static Money ofMinor(Currency currency, long minor) {
        return new Money(currency, minor);
    }

    /**
     * Parses a strictly positive decimal amount such as {@code "12.50"}.
     *
     * @throws InvalidAmountException when the text is not a plain decimal, has more decimals than the
     *     currency's scale, is zero, or is larger than {@link #MAX_MINOR} minor units
     */
    public static Money parse(String text, Currency currency) {
        if (text == null || text.isEmpty()) {
            throw new InvalidAmountException("amount is required");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new InvalidAmountException(
                    "amount must be a plain positive decimal such as 12.50, without leading zeros: "
                            + abbreviate(text));
        }
        BigDecimal value = new BigDecimal(text);
        if (value.stripTrailingZeros().scale() > currency.scale()) {
            throw new InvalidAmountException("amount " + text + " has more than " + currency.scale()
                    + " decimals allowed for " + currency.code());
        }
        BigInteger minor = value.movePointRight(currency.scale()).toBigIntegerExact();
        if (minor.signum() == 0) {
            throw new InvalidAmountException("amount must be greater than zero");
        }
        if (minor.compareTo(BigInteger.valueOf(MAX_MINOR)) > 0) {
            throw new InvalidAmountException(
                    "amount " + text + " exceeds the maximum of " + format(MAX_MINOR, currency.scale()));
        }
        return new Money(currency, minor.longValueExact());
    }

    /** The sum of two amounts of the same currency; throws {@link ArithmeticException} on overflow. */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(currency, Math.addExact(minor, other.minor));
    }

    /** The difference; throws {@link ArithmeticException} when it would be negative. */
    public Money minus(Money other) {
        requireSameCurrency(other);
        long result = Math.subtractExact(minor, other.minor);
        if (result < 0) {
            throw new ArithmeticException("money would go negative: " + this + " - " + other);
        }
        return new Money(currency, result);
    }

    public boolean isZero() {
        return minor == 0;
    }

    /** The decimal string with exactly the currency's scale, e.g. {@code "100.00"}. */
    public String toDecimalString() {
        return format(minor, currency.scale());
    }

    /** Formats a count of minor units (possibly negative, for deltas) with a given scale. */
    public static String format(long minor, int scale) {
        return BigDecimal.valueOf(minor, scale).toPlainString();
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return toDecimalString() + " " + currency.code();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException(
                    "currency mismatch: " + currency.code() + " vs " + other.currency.code());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
