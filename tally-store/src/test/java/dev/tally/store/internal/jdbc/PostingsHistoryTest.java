package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery.Direction;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite reads an account's history from the side index for the entries it covers and from the ledger for the
 * rest: whatever the index covers (everything, nothing, up to any entry), every page equals a filter of all the
 * ledger's entries, newest first.
 */
class PostingsHistoryTest {
    @TempDir
    Path dir;

    @Test
    void historyIsExactWhenEveryEntryIsIndexed() {
        try (PostingsLedger ledger = written(1_000)) {
            assertThat(ledger.side().indexedThrough()).isEqualTo(lastSeq(ledger));

            ledger.assertEveryHistoryExact(100, 7, 1);
        }
    }

    @Test
    void historyIsExactWhenNothingIsIndexed() {
        try (PostingsLedger ledger = written(1_000)) {
            ledger.side().reset();
            assertThat(ledger.side().indexedThrough()).isZero();
            assertThat(ledger.side().firstBucket()).isEqualTo(-1);

            ledger.assertEveryHistoryExact(100, 7, 1);
        }
    }

    @Test
    void historyIsExactWhateverEntryTheIndexStopsAt() {
        try (PostingsLedger ledger = written(600)) {
            long last = lastSeq(ledger);
            for (long k : new long[] {1, 2, 13, last / 2, last - 1}) {
                indexThrough(ledger, k);

                ledger.assertEveryHistoryExact(50, 7);
            }
        }
    }

    @Test
    void aPageBeforeAnySeqIsExactAroundTheWatermark() {
        try (PostingsLedger ledger = written(400)) {
            long k = lastSeq(ledger) / 2;
            indexThrough(ledger, k);
            List<LedgerEntry> all = ledger.all();
            for (UUID account : ledger.accounts()) {
                for (Direction direction : Direction.values()) {
                    for (long before = k - 3; before <= k + 3; before++) {
                        for (int size : new int[] {1, 2, 5, 40}) {
                            ledger.assertPageBeforeExact(all, account, direction, before, size);
                        }
                    }
                    for (long before : new long[] {Long.MIN_VALUE, -1, 0, 1, 2, lastSeq(ledger) + 1, Long.MAX_VALUE}) {
                        ledger.assertPageBeforeExact(all, account, direction, before, 10);
                    }
                }
            }
        }
    }

    @Test
    void aMetadataFilterThatRarelyMatchesIsExactWhateverTheIndexCovers() {
        try (PostingsLedger ledger = PostingsLedger.create(dir, 5)) {
            ledger.transfers(3_000, new Random(7), 300);
            ledger.stopIndexing();
            long last = lastSeq(ledger);
            List<LedgerEntry> all = ledger.all();
            assertThat(PostingsLedger.expected(
                                    all, ledger.accounts().getFirst(), Direction.ALL, Optional.of(PostingsLedger.RARE))
                            .size())
                    .as("the filter matches a few entries, not none")
                    .isBetween(1, 60);
            for (long k : new long[] {last, 0, 5, last / 3, last - 2}) {
                indexThrough(ledger, k);
                for (UUID account : ledger.accounts()) {
                    for (Direction direction : Direction.values()) {
                        for (int size : new int[] {1, 3, 1000}) {
                            ledger.assertHistoryExact(all, account, direction, size, Optional.of(PostingsLedger.RARE));
                        }
                    }
                }
            }
        }
    }

    @Test
    void accountEntriesAreExactForRangesOnEitherSideOfTheWatermarkAndAcrossIt() {
        try (PostingsLedger ledger = written(500)) {
            long last = lastSeq(ledger);
            List<LedgerEntry> all = ledger.all();
            for (long k : new long[] {0, 1, last / 2, last}) {
                indexThrough(ledger, k);
                for (UUID account : ledger.accounts()) {
                    long[][] ranges = {
                        {0, last},
                        {0, k},
                        {k, last},
                        {k - 1, k},
                        {k, k + 1},
                        {k - 1, k + 1},
                        {k - 30, k + 30},
                        {1, 2},
                        {last - 5, last + 100},
                        {0, Long.MAX_VALUE},
                        {last, last + 10}
                    };
                    for (long[] range : ranges) {
                        ledger.assertRangeExact(all, account, range[0], range[1]);
                    }
                }
            }
        }
    }

    @Test
    void accountEntriesFromBeforeTheFirstSeqHoldTheIndexedEntriesToo() {
        try (PostingsLedger ledger = written(200)) {
            long last = lastSeq(ledger);
            indexThrough(ledger, last / 2);
            List<LedgerEntry> all = ledger.all();
            for (UUID account : ledger.accounts()) {
                ledger.assertRangeExact(all, account, -1, last);
                ledger.assertRangeExact(all, account, Long.MIN_VALUE, last);
            }
        }
    }

    @Test
    void historyIsExactAcrossBucketsOfTheIndex() {
        int transfers = (1 << PostingsFile.BUCKET_BITS) + 4_000;
        try (PostingsLedger ledger = PostingsLedger.create(dir, 5)) {
            ledger.transfers(transfers, new Random(11), 2_000);
            ledger.stopIndexing();
            long last = lastSeq(ledger);
            assertThat(PostingsFile.bucket(last))
                    .as("the ledger spans two buckets")
                    .isEqualTo(1);
            assertThat(ledger.side().indexedThrough()).isEqualTo(last);
            assertThat(ledger.side().firstBucket()).isZero();
            List<LedgerEntry> all = ledger.all();

            for (long k : new long[] {last, (1L << PostingsFile.BUCKET_BITS) + 1, 40_000}) {
                indexThrough(ledger, k);
                for (UUID account : ledger.accounts()) {
                    for (Direction direction : Direction.values()) {
                        ledger.assertHistoryExact(all, account, direction, 1000, Optional.empty());
                        ledger.assertHistoryExact(all, account, direction, 1000, Optional.of(PostingsLedger.RARE));
                    }
                    ledger.assertRangeExact(all, account, 60_000, 70_000);
                }
            }
        }
    }

    /** A ledger of 5 accounts and {@code transfers} transfers among them, fully indexed, the indexer stopped. */
    private PostingsLedger written(int transfers) {
        PostingsLedger ledger = PostingsLedger.create(dir, 5);
        ledger.transfers(transfers, new Random(transfers), 25);
        ledger.stopIndexing();
        return ledger;
    }

    /** Sets the index back to cover exactly the entries 1..k (none when k is 0). */
    static void indexThrough(PostingsLedger ledger, long k) {
        ledger.side().reset();
        if (k > 0) {
            assertThat(ledger.side().indexNext(Math.toIntExact(k))).isEqualTo(k);
        }
        assertThat(ledger.side().indexedThrough()).isEqualTo(k);
    }

    static long lastSeq(PostingsLedger ledger) {
        return ledger.lastSeq();
    }
}
