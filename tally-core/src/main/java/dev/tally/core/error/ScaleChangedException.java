package dev.tally.core.error;

import dev.tally.core.money.ScaleChange;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration changes the scale of a currency that already has entries: every stored amount of it
 * would silently mean something else, so the ledger refuses to open, and nothing is written.
 */
public final class ScaleChangedException extends TallyException {
    private final List<ScaleChange> changes;

    public ScaleChangedException(List<ScaleChange> changes) {
        super("the configured currencies change the scale of a currency that has entries: "
                + changes.stream().map(ScaleChange::describe).collect(Collectors.joining("; "))
                + ". A currency's scale is fixed by its first entry; configure the recorded scale");
        this.changes = List.copyOf(changes);
    }

    /** Each currency whose scale the configuration would change. */
    public List<ScaleChange> changes() {
        return changes;
    }
}
