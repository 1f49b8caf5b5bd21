package dev.tally.ledger;

import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;

/**
 * The supply of one currency: minted, burned, and circulating (the sum of all balances, the treasury
 * included). {@link #conserved()} is the invariant every ledger must keep.
 */
public record SupplyReport(Currency currency, long minted, long burned, long circulating) {
    public boolean conserved() {
        return circulating == minted - burned;
    }

    public String mintedText() {
        return Money.format(minted, currency.scale());
    }

    public String burnedText() {
        return Money.format(burned, currency.scale());
    }

    public String circulatingText() {
        return Money.format(circulating, currency.scale());
    }
}
