package dev.tally.core.store;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The archived months of a ledger whose store partitions its entries by month (PostgreSQL): which closed months
 * were moved out to audited archive files, and the boundary the live ledger starts after. A store that does not
 * partition (SQLite) has {@link #none()}: nothing archived, nothing archivable. Thread-safe.
 */
public interface ArchiveStore {
    /** Whether this store can archive months at all. */
    boolean supported();

    /** Every archived month, oldest first. */
    List<ArchivedMonth> archived();

    /** The newest archived month: the live ledger holds only the entries after its last seq. */
    default Optional<ArchivedMonth> boundary() {
        List<ArchivedMonth> all = archived();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The live months before {@code before} that hold entries, oldest first, with their ranges of seq. */
    List<LiveMonth> liveMonthsBefore(YearMonth before);

    /**
     * In one transaction: checks that the month's partition still holds exactly {@code month}'s range of seq,
     * records {@code month}, then detaches and drops its partition. Either all of it happens or none.
     *
     * @throws IllegalStateException when the partition no longer holds exactly that range
     */
    void commit(ArchivedMonth month);

    /** The seq of an entry of an archived month, by its transaction id (the idempotency keys outlive the month). */
    OptionalLong archivedSeq(String transactionId);

    /**
     * A live month with entries.
     *
     * @param partition the table that holds it
     */
    record LiveMonth(YearMonth month, String partition, long firstSeq, long lastSeq, long entries) {}

    /** The store of a ledger that is never archived. */
    static ArchiveStore none() {
        return new ArchiveStore() {
            @Override
            public boolean supported() {
                return false;
            }

            @Override
            public List<ArchivedMonth> archived() {
                return List.of();
            }

            @Override
            public List<LiveMonth> liveMonthsBefore(YearMonth before) {
                return List.of();
            }

            @Override
            public void commit(ArchivedMonth month) {
                throw new UnsupportedOperationException("this store does not archive months");
            }

            @Override
            public OptionalLong archivedSeq(String transactionId) {
                return OptionalLong.empty();
            }
        };
    }
}
