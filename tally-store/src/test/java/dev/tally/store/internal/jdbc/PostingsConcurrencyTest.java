package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.HistoryQuery.Direction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History read while commits land and the indexer moves its watermark under the read: each page is the newest
 * entries of the ledger as it stood at some moment during the read, with no entry missing or repeated, whichever
 * side of the watermark they fall.
 */
class PostingsConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void historyReadWhileCommitsLandAndTheIndexerFollowsThemIsExact() throws Exception {
        try (PostingsLedger ledger = withIndexerInterval("2", () -> PostingsLedger.create(dir, 5))) {
            ledger.transfers(300, new Random(1), 25);
            long startedAt = ledger.side().indexedThrough();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                Random random = new Random(2);
                for (int i = 0; i < 400; i++) {
                    ledger.transfers(1 + random.nextInt(10), random, 25);
                }
            });
            Random random = new Random(3);
            int reads = 0;
            List<LedgerEntry> all = new ArrayList<>(ledger.all());
            while (!writer.isDone() || reads < 50) {
                UUID account = ledger.accounts().get(random.nextInt(5));
                Direction direction = Direction.values()[random.nextInt(3)];
                int size = 1 + random.nextInt(30);
                long committedBefore = ledger.lastSeq();
                List<LedgerEntry> page =
                        ledger.store().history(new HistoryQuery(account, direction, Optional.empty(), size));
                all.addAll(ledger.allAfter(all.getLast().seq()));
                List<LedgerEntry> expected = PostingsLedger.expected(all, account, direction, Optional.empty());
                assertNewestOfSomeMoment(page, expected, committedBefore, size);
                reads++;
            }
            writer.get(1, TimeUnit.MINUTES);

            assertThat(ledger.side().indexedThrough())
                    .as("the indexer moved while the reads ran")
                    .isGreaterThan(startedAt);
            ledger.stopIndexing();
            ledger.assertEveryHistoryExact(50);
        }
    }

    @Test
    void twoStoresOnOneLedgerBothIndexItAndBothReadItExactly() {
        try (PostingsLedger first = withIndexerInterval("2", () -> PostingsLedger.create(dir, 5));
                PostingsLedger second = withIndexerInterval("3", first::secondStore)) {
            Random random = new Random(4);
            for (int i = 0; i < 40; i++) {
                (i % 2 == 0 ? first : second).transfers(1 + random.nextInt(40), random, 25);
            }
            first.stopIndexing();
            second.stopIndexing();

            assertThat(first.side().indexedThrough()).isEqualTo(first.lastSeq());
            first.assertEveryHistoryExact(30);
            second.assertEveryHistoryExact(30);
        }
    }

    /**
     * {@code page} is a run of {@code expected} (the account's entries after the read, newest first) with nothing
     * skipped: what comes before it in {@code expected} was committed after the read began, and it is full unless
     * it reaches the oldest entry.
     */
    private static void assertNewestOfSomeMoment(
            List<LedgerEntry> page, List<LedgerEntry> expected, long committedBefore, int size) {
        int newer = 0;
        while (newer < expected.size() && expected.get(newer).seq() > committedBefore) {
            newer++;
        }
        if (page.isEmpty()) {
            assertThat(newer)
                    .as("an empty page: nothing committed before the read")
                    .isEqualTo(expected.size());
            return;
        }
        int start = expected.indexOf(page.getFirst());
        assertThat(start)
                .as(
                        "the page's first entry %d is the account's",
                        page.getFirst().seq())
                .isNotNegative();
        assertThat(start)
                .as("only entries committed after the read began are newer")
                .isLessThanOrEqualTo(newer);
        assertThat(page)
                .as("a run of the account's entries without a gap")
                .isEqualTo(expected.subList(start, Math.min(expected.size(), start + page.size())));
        assertThat(page.size() == size || start + page.size() == expected.size())
                .as("a short page ends at the oldest entry")
                .isTrue();
    }

    /** Opens with the indexer's interval at {@code ms}, so that its watermark moves under the reads all the time. */
    private static PostingsLedger withIndexerInterval(String ms, Supplier<PostingsLedger> open) {
        String previous = System.getProperty(PostingsIndexer.INTERVAL_PROPERTY);
        System.setProperty(PostingsIndexer.INTERVAL_PROPERTY, ms);
        try {
            return open.get();
        } finally {
            if (previous == null) {
                System.clearProperty(PostingsIndexer.INTERVAL_PROPERTY);
            } else {
                System.setProperty(PostingsIndexer.INTERVAL_PROPERTY, previous);
            }
        }
    }
}
