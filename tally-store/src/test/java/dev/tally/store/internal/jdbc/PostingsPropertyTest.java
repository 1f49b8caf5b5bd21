package dev.tally.store.internal.jdbc;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * Whatever the order of commits and index batches (and a rebuild now and then), an account's history walked page by
 * page equals a filter of all the ledger's entries, on each side and with the rare metadata filter.
 */
class PostingsPropertyTest {
    /** One thing that happens to the ledger: transfers committed, a batch indexed, the index forgotten. */
    sealed interface Step {}

    record Write(int transfers) implements Step {}

    record Index(int entries) implements Step {}

    record Reset() implements Step {}

    @Property(tries = 25, shrinking = ShrinkingMode.BOUNDED)
    void historyWalkedPageByPageEqualsTheOracleWhateverTheIndexLagsBehind(
            @ForAll("steps") List<Step> steps, @ForAll long seed) {
        Path dir = tempDir();
        try (PostingsLedger ledger = PostingsLedger.create(dir, 5)) {
            ledger.stopIndexing();
            Random random = new Random(seed);
            for (Step step : steps) {
                switch (step) {
                    case Write w -> ledger.transfers(w.transfers(), random, 8);
                    case Index i -> ledger.side().indexNext(i.entries());
                    case Reset r -> ledger.side().reset();
                }
            }
            List<LedgerEntry> all = ledger.all();
            long last = all.getLast().seq();
            for (UUID account : ledger.accounts()) {
                for (Direction direction : Direction.values()) {
                    ledger.assertHistoryExact(all, account, direction, 1 + random.nextInt(40), Optional.empty());
                    ledger.assertHistoryExact(
                            all, account, direction, 1 + random.nextInt(10), Optional.of(PostingsLedger.RARE));
                }
                long after = random.nextLong(last + 1);
                ledger.assertRangeExact(all, account, after, after + random.nextLong(last + 2 - after));
            }
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> write = Arbitraries.integers().between(1, 80).map(Write::new);
        Arbitrary<Step> index = Arbitraries.integers().between(1, 120).map(Index::new);
        Arbitrary<Step> reset = Arbitraries.just(new Reset());
        return Arbitraries.frequencyOf(Tuple.of(5, write), Tuple.of(4, index), Tuple.of(1, reset))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tally-postings-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
