package dev.tally.ledger.archive;

import dev.tally.core.store.ArchivedMonth;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * What a run of {@code tally archive} did.
 *
 * @param archived the months archived by this run, oldest first
 * @param boundary the newest archived month after the run (this run's or an earlier one's)
 * @param stoppedAt the closed month the run did not archive, and why (open pending transfers), if any
 */
public record ArchiveReport(List<ArchivedMonth> archived, Optional<ArchivedMonth> boundary, Optional<Stop> stoppedAt) {
    public ArchiveReport {
        archived = List.copyOf(archived);
    }

    /** A month left live, and why. */
    public record Stop(YearMonth month, String reason) {}
}
