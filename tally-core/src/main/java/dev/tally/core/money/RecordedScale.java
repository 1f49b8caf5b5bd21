package dev.tally.core.money;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the ledger recorded about a currency when its first entry was written: the scale its amounts were
 * written with, which no later configuration may change, since every stored amount is a count of minor
 * units at that scale.
 *
 * @param code the currency's code
 * @param scale the recorded scale; empty when the entries predate the record and no configuration has
 *     fixed it yet (a ledger opened with a configuration fixes it to the configured scale)
 * @param firstSeq the seq of the currency's first entry
 */
public record RecordedScale(String code, OptionalInt scale, long firstSeq) {
    public RecordedScale {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(scale, "scale");
    }

    /**
     * The change {@code configured} would make to this record's scale, if any: a configuration that
     * leaves the currency out changes nothing (its amounts are then shown at scale 0, but not rewritten).
     */
    public java.util.Optional<ScaleChange> changeBy(Currencies configured) {
        return configured
                .find(code)
                .filter(c -> scale.isPresent() && scale.getAsInt() != c.scale())
                .map(c -> new ScaleChange(code, scale.getAsInt(), c.scale(), firstSeq));
    }
}
