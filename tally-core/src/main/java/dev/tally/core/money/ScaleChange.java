package dev.tally.core.money;

/**
 * A configured scale that differs from the one a currency's entries were written with.
 *
 * @param code the currency's code
 * @param recorded the scale recorded when its first entry was written
 * @param configured the scale the configuration asks for
 * @param firstSeq the seq of the currency's first entry
 */
public record ScaleChange(String code, int recorded, int configured, long firstSeq) {
    /** One sentence for an operator. */
    public String describe() {
        return code + " has entries since seq " + firstSeq + " written with scale " + recorded
                + ", but the configuration says " + configured;
    }
}
