package dev.tally.core.account;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An account's limits per currency code; a currency without an entry has {@link AccountLimit#NONE}. Stored
 * with the account (so a change to them is an account change, under the account's version) as a compact
 * text: {@code CODE:credit:max} per currency, sorted by code, joined by {@code ;}, {@code -} for no cap.
 */
public record AccountLimits(SortedMap<String, AccountLimit> byCurrency) {
    public static final AccountLimits NONE = new AccountLimits(new TreeMap<>());

    private static final Pattern ITEM = Pattern.compile("([A-Z][A-Z0-9_]{0,15}):([0-9]{1,19}):(-|[0-9]{1,19})");

    public AccountLimits {
        TreeMap<String, AccountLimit> copy = new TreeMap<>(Objects.requireNonNull(byCurrency, "byCurrency"));
        copy.values().removeIf(AccountLimit::isDefault);
        byCurrency = Collections.unmodifiableSortedMap(copy);
    }

    /** The limit in {@code currency}: {@link AccountLimit#NONE} unless one was set. */
    public AccountLimit of(String currency) {
        return byCurrency.getOrDefault(currency, AccountLimit.NONE);
    }

    /** Whether no limit differs from the default. */
    public boolean isEmpty() {
        return byCurrency.isEmpty();
    }

    /** These limits with {@code currency}'s replaced (the default removes it). */
    public AccountLimits with(String currency, AccountLimit limit) {
        TreeMap<String, AccountLimit> next = new TreeMap<>(byCurrency);
        next.put(currency, limit);
        return new AccountLimits(next);
    }

    /** The stored text; empty for no limits. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, AccountLimit> e : byCurrency.entrySet()) {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(e.getKey())
                    .append(':')
                    .append(e.getValue().creditLimit())
                    .append(':')
                    .append(e.getValue().maxBalance().map(String::valueOf).orElse("-"));
        }
        return b.toString();
    }

    /** Reads {@link #encode()}'s text; absent or empty text is no limits. */
    public static AccountLimits parse(Optional<String> text) {
        if (text.isEmpty() || text.get().isEmpty()) {
            return NONE;
        }
        TreeMap<String, AccountLimit> map = new TreeMap<>();
        for (String item : text.get().split(";", -1)) {
            var m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("not an account limit: " + item);
            }
            Optional<Long> max = m.group(3).equals("-") ? Optional.empty() : Optional.of(Long.parseLong(m.group(3)));
            map.put(m.group(1), new AccountLimit(Long.parseLong(m.group(2)), max));
        }
        return new AccountLimits(map);
    }
}
