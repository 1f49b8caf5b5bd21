package dev.tally.core.engine;

import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.money.Currencies;
import dev.tally.core.tax.TaxPolicy;
import java.util.Objects;
import java.util.UUID;

/**
 * The fixed rules a ledger runs under: its currencies, its tax policy, its treasury account and its fraud
 * shield. Validated at start and immutable afterwards.
 */
public record Rules(Currencies currencies, TaxPolicy taxPolicy, UUID treasuryId, FraudPolicy fraudPolicy) {
    /** The treasury's fixed account id in every Tally ledger. */
    public static final UUID TREASURY_ID = new UUID(0L, 1L);

    /**
     * The SYSTEM account that holds the amounts of open pending transfers (docs/ARCHITECTURE.md): its balance
     * per currency is the sum of the pending entries not yet posted or voided. Opened with the first pending
     * transfer.
     */
    public static final UUID ESCROW_ID = new UUID(0L, 2L);

    /** The escrow account's username. */
    public static final String ESCROW_USERNAME = "pending-escrow";
    /** The treasury's username. */
    public static final String TREASURY_USERNAME = "treasury";

    public Rules {
        Objects.requireNonNull(currencies, "currencies");
        Objects.requireNonNull(taxPolicy, "taxPolicy");
        Objects.requireNonNull(treasuryId, "treasuryId");
        Objects.requireNonNull(fraudPolicy, "fraudPolicy");
    }

    /**
     * Rules without a fraud shield: limits depend on the economy (a game shop sends thousands of payments
     * a minute), so an operator turns the shield on with {@link #withFraudPolicy}.
     */
    public Rules(Currencies currencies, TaxPolicy taxPolicy, UUID treasuryId) {
        this(currencies, taxPolicy, treasuryId, FraudPolicy.disabled());
    }

    /** EUR and the default tax rates. */
    public static Rules defaults() {
        return new Rules(Currencies.defaults(), TaxPolicy.defaults(), TREASURY_ID);
    }

    public Rules withCurrencies(Currencies newCurrencies) {
        return new Rules(newCurrencies, taxPolicy, treasuryId, fraudPolicy);
    }

    public Rules withTaxPolicy(TaxPolicy newPolicy) {
        return new Rules(currencies, newPolicy, treasuryId, fraudPolicy);
    }

    public Rules withFraudPolicy(FraudPolicy newPolicy) {
        return new Rules(currencies, taxPolicy, treasuryId, newPolicy);
    }
}
