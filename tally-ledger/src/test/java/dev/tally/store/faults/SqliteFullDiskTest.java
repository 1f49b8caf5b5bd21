package dev.tally.store.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A full disk under SQLite, made with a per-connection page limit ({@code PRAGMA max_page_count}): the
 * batch that does not fit fails and is rolled back whole, every acknowledged batch stays, and once there
 * is room again the writer goes on without a restart.
 */
class SqliteFullDiskTest {
    private static final int UNLIMITED = 1_073_741_823;

    @Test
    void aBatchThatDoesNotFitOnTheDiskFailsWholeAndTheWriterGoesOnOnceThereIsRoom() {
        List<String> failedIds = new ArrayList<>();
        String location;
        List<LedgerEntry> acknowledged;
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshSqliteFile().toString())) {
            location = f.location;
            f.faults.onBorrow("PRAGMA max_page_count = " + (pageCount(f.ledger) + 2));

            Optional<Throwable> failure = Optional.empty();
            for (int round = 0; round < 200 && failure.isEmpty(); round++) {
                List<Command> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(f.transfer("r" + round + "-" + i));
                }
                try {
                    for (Outcome o : f.ledger.submitAll(batch).join()) {
                        f.acknowledged.add(((Outcome.Written) o).entry());
                    }
                } catch (CompletionException e) {
                    failure = Optional.of(e.getCause());
                    batch.forEach(c -> failedIds.add(((Command.Payment) c).transactionId()));
                }
            }

            assertThat(failure).as("the disk filled up").isPresent();
            assertThat(failure.get()).isInstanceOf(StoreException.class);
            assertThat(failure.get()).rootCause().hasMessageContaining("full");
            assertThat(f.ledger.stats().writer().halted())
                    .as("a rolled-back failure does not stop the writer")
                    .isFalse();
            f.faults.onBorrow("PRAGMA max_page_count = " + UNLIMITED);
            f.pay(failedIds.get(0));
            f.pay("with-room-again");
            acknowledged = f.acknowledged;
        }
        try (Ledger again = FaultyLedger.reopenAndCheck(location, acknowledged)) {
            for (String id : failedIds.subList(1, failedIds.size())) {
                assertThat(again.reads().findEntry(id))
                        .as("nothing of the failed batch: %s", id)
                        .isEmpty();
            }
        }
    }

    private static long pageCount(Ledger ledger) {
        return Long.parseLong(StoreSql.scalar(LedgerInternals.store(ledger), "PRAGMA page_count"));
    }
}
