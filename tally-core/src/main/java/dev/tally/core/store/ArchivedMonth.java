package dev.tally.core.store;

import dev.tally.core.ledger.Hash;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * A closed month moved out of the live ledger into an archive file.
 *
 * @param partition the dropped partition's name
 * @param firstSeq the month's first entry
 * @param lastSeq the month's last entry: the archived boundary once this is the newest archived month
 * @param lastHash the hash of the entry at {@code lastSeq}, the predecessor of the first live entry
 * @param lastCreatedAtMicros that entry's time, for the time order of the first live entry
 * @param fileName the archive file's name, in the archive directory
 * @param sha256 the archive file's SHA-256
 * @param fileBytes its size
 * @param checkpointNote the signed checkpoint of exactly {@code lastSeq} entries, which anchors the boundary
 * @param state the balances, treasury totals and supply after {@code lastSeq}
 */
public record ArchivedMonth(
        YearMonth month,
        String partition,
        long firstSeq,
        long lastSeq,
        Hash lastHash,
        long lastCreatedAtMicros,
        String fileName,
        byte[] sha256,
        long fileBytes,
        String checkpointNote,
        BoundaryState state,
        Instant archivedAt) {
    public ArchivedMonth {
        Objects.requireNonNull(month, "month");
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new IllegalArgumentException("bad range of seq " + firstSeq + ".." + lastSeq);
        }
        sha256 = sha256.clone();
    }

    /** The archive file's SHA-256. */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** How many entries the month held. */
    public long entries() {
        return lastSeq - firstSeq + 1;
    }
}
