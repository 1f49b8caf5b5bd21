package dev.tally.core.engine;

import dev.tally.core.ledger.TaxKind;
import java.util.Objects;

/** One running tax total of the treasury: per currency and per kind of tax. */
public record TreasuryKey(String currency, TaxKind kind) {
    public TreasuryKey {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(kind, "kind");
    }
}
