package dev.tally.core.money;

import java.util.regex.Pattern;

/**
 * A currency the ledger can hold: an upper-case code (ISO 4217 such as {@code EUR}, or a game currency
 * such as {@code GOLD}) and the number of decimals of its minor unit.
 *
 * <p>Amounts in this currency are exact integers of minor units; {@code scale} says where the decimal
 * point goes when they are parsed from or printed as decimal strings.
 */
public record Currency(String code, int scale) {
    /** Largest scale supported; 10^18 would overflow a long minor unit for any whole amount. */
    public static final int MAX_SCALE = 8;

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,11}");

    /** The euro, two decimals, available out of the box. */
    public static final Currency EUR = new Currency("EUR", 2);

    public Currency {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(
                    "currency code must be 2-12 characters A-Z, 0-9 or _, starting with a letter: " + code);
        }
        if (scale < 0 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("currency scale must be between 0 and " + MAX_SCALE + ": " + scale);
        }
    }

    /** Whether a string is shaped like a currency code (it may still be unknown to a ledger). */
    public static boolean isValidCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }
}
