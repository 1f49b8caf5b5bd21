package dev.tally.core.store;

import dev.tally.core.money.Currencies;
import dev.tally.core.money.RecordedScale;
import java.util.List;

/**
 * Where a ledger keeps the scale each currency's entries were written with, recorded with the currency's
 * first entry, in the same transaction.
 */
public interface CurrencyScaleStore {
    /** Every currency that has entries, with what was recorded about it, in code order. */
    List<RecordedScale> recordedScales();

    /**
     * Checks {@code configured} against the recorded scales and adopts it for the entries to come: a
     * recorded currency without a scale yet (entries older than the record) gets its configured one, and
     * the first entry of a new currency records the configured scale.
     *
     * @throws dev.tally.core.error.ScaleChangedException when {@code configured} changes the scale of a
     *     currency that has entries; nothing is written then
     */
    void fixScales(Currencies configured);
}
