package dev.tally.core.tax;

import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.TaxKind;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Tax rates in basis points per entry type, optionally overridden per currency, and the accounts that
 * pay no tax. Tax is withheld from the gross: {@code tax = round_half_even(gross × bps / 10000)},
 * {@code net = gross − tax}. Immutable once built.
 *
 * <p>Who is exempt: the treasury and SYSTEM accounts (the caller passes that as {@code payerExempt}),
 * and every account the operator lists. The payer is the sender for TRANSFER and PURCHASE and the
 * receiver for INCOME (income tax is the earner's).
 */
public final class TaxPolicy {
    public static final int MAX_BPS = 10_000;
    private final Map<EntryType, Integer> defaultBps;
    private final Map<String, Integer> overrides;
    private final Set<UUID> exempt;

    private TaxPolicy(Map<EntryType, Integer> defaultBps, Map<String, Integer> overrides, Set<UUID> exempt) {
        this.defaultBps = Map.copyOf(defaultBps);
        this.overrides = Map.copyOf(overrides);
        this.exempt = Set.copyOf(exempt);
    }

    /** Transfer tax 1%, VAT 20%, income tax 10%: round figures for a demo economy. */
    public static TaxPolicy defaults() {
        return builder()
                .rate(EntryType.TRANSFER, 100)
                .rate(EntryType.PURCHASE, 2000)
                .rate(EntryType.INCOME, 1000)
                .build();
    }

    /** No tax at all. */
    public static TaxPolicy none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rate in basis points for a type of entry in a currency. */
    public int bps(EntryType type, String currency) {
        if (!type.isPayment()) {
            return 0;
        }
        Integer specific = overrides.get(key(type, currency));
        return specific != null ? specific : defaultBps.getOrDefault(type, 0);
    }

    /** Whether the operator listed this account as exempt. */
    public boolean isListedExempt(UUID account) {
        return exempt.contains(account);
    }

    /**
     * The tax withheld from {@code gross} for an entry of this type, rounded half-even to the minor unit.
     *
     * @param payerExempt whether the paying account is exempt by role (treasury, SYSTEM)
     */
    public long taxOn(EntryType type, String currency, long gross, UUID payer, boolean payerExempt) {
        if (payerExempt || exempt.contains(payer)) {
            return 0;
        }
        return roundHalfEven(gross, bps(type, currency));
    }

    /** {@code round_half_even(amount × bps / 10000)} without overflow for any amount up to {@link Long#MAX_VALUE}. */
    public static long roundHalfEven(long amount, int bps) {
        if (amount < 0 || bps < 0 || bps > MAX_BPS) {
            throw new IllegalArgumentException("amount and bps must be non-negative, bps at most " + MAX_BPS);
        }
        if (amount > Long.MAX_VALUE / MAX_BPS) {
            return new java.math.BigDecimal(amount)
                    .multiply(java.math.BigDecimal.valueOf(bps))
                    .divide(java.math.BigDecimal.valueOf(MAX_BPS), 0, java.math.RoundingMode.HALF_EVEN)
                    .longValueExact();
        }
        long product = amount * bps;
        long quotient = product / MAX_BPS;
        long twiceRemainder = (product % MAX_BPS) * 2;
        if (twiceRemainder > MAX_BPS || (twiceRemainder == MAX_BPS && (quotient & 1) == 1)) {
            quotient++;
        }
        return quotient;
    }

    /** The tax kind an entry type carries. */
    public static TaxKind kindOf(EntryType type) {
        return type.taxKind();
    }

    private static String key(EntryType type, String currency) {
        return type.name() + "/" + currency;
    }

    /** Collects rates and exemptions; validates each as it is added. */
    public static final class Builder {
        private final Map<EntryType, Integer> defaultBps = new EnumMap<>(EntryType.class);
        private final Map<String, Integer> overrides = new HashMap<>();
        private final java.util.Set<UUID> exempt = new java.util.HashSet<>();

        /** The rate for a payment type in every currency without an override. */
        public Builder rate(EntryType type, int bps) {
            defaultBps.put(requirePayment(type), requireBps(bps));
            return this;
        }

        /** The rate for a payment type in one currency. */
        public Builder rate(EntryType type, String currency, int bps) {
            overrides.put(key(requirePayment(type), Objects.requireNonNull(currency)), requireBps(bps));
            return this;
        }

        /** An account that never pays tax. */
        public Builder exempt(UUID account) {
            exempt.add(Objects.requireNonNull(account));
            return this;
        }

        public TaxPolicy build() {
            return new TaxPolicy(defaultBps, overrides, exempt);
        }

        private static EntryType requirePayment(EntryType type) {
            if (!type.isPayment()) {
                throw new IllegalArgumentException(type + " carries no tax");
            }
            return type;
        }

        private static int requireBps(int bps) {
            if (bps < 0 || bps > MAX_BPS) {
                throw new IllegalArgumentException("tax rate must be 0-" + MAX_BPS + " basis points: " + bps);
            }
            return bps;
        }
    }
}
