package dev.tally.ledger.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An entry's created_at: the clock's time, truncated to the stored microseconds, except that it never steps
 * back behind the chain's last entry, within one run or across a restart with a clock set back. History reads
 * by seq rely on created_at never decreasing along the chain.
 */
class CommitTimeTest {
    private static final Instant T = Instant.parse("2031-01-20T10:00:00Z");
    private static final EntryContext CTX = EntryContext.actor("test");

    private final SettableClock clock = new SettableClock(T);

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createdAtFollowsTheClockAsItAdvances(StoreKind kind) {
        try (Ledger ledger = Ledger.open(config(kind))) {
            UUID alice = openAccount(ledger);

            LedgerEntry first = mint(ledger, alice, "m1");
            clock.advance(Duration.ofSeconds(5));
            LedgerEntry second = mint(ledger, alice, "m2");
            clock.set(T.plusSeconds(7).plusNanos(123_456_789));
            LedgerEntry third = mint(ledger, alice, "m3");

            assertThat(first.createdAt()).isEqualTo(T);
            assertThat(second.createdAt()).isEqualTo(T.plusSeconds(5));
            assertThat(third.createdAt()).isEqualTo(T.plusSeconds(7).plusNanos(123_456_000));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClockSetBackWhileTheLedgerRunsStampsTheLastEntrysTime(StoreKind kind) {
        try (Ledger ledger = Ledger.open(config(kind))) {
            UUID alice = openAccount(ledger);
            mint(ledger, alice, "m1");
            clock.set(T.minus(Duration.ofHours(1)));

            assertThat(mint(ledger, alice, "m2").createdAt()).isEqualTo(T);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLedgerReopenedWithItsClockSetBackWritesNoEntryEarlierThanTheChainsLast(StoreKind kind) {
        LedgerConfig config = config(kind);
        UUID alice;
        try (Ledger ledger = Ledger.open(config)) {
            alice = openAccount(ledger);
            assertThat(mint(ledger, alice, "before").createdAt()).isEqualTo(T);
        }
        clock.set(T.minus(Duration.ofHours(1)));

        try (Ledger reopened = Ledger.open(config)) {
            LedgerEntry after = mint(reopened, alice, "after");

            assertThat(after.createdAt()).isEqualTo(T);
            assertThat(reopened.reads()
                            .history(new HistoryQuery(alice, HistoryQuery.Direction.ALL, Optional.empty(), 10)))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactly("after", "before");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterAReopenWithTheClockSetBackCreatedAtFollowsTheClockAgainOnceItPassesTheLastEntry(StoreKind kind) {
        LedgerConfig config = config(kind);
        UUID alice;
        try (Ledger ledger = Ledger.open(config)) {
            alice = openAccount(ledger);
            mint(ledger, alice, "before");
        }
        clock.set(T.minus(Duration.ofHours(1)));

        try (Ledger reopened = Ledger.open(config)) {
            mint(reopened, alice, "held-at-the-last-time");
            clock.set(T.plusSeconds(1));

            assertThat(mint(reopened, alice, "after").createdAt()).isEqualTo(T.plusSeconds(1));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterAnotherWriterAppendedLaterEntriesTheNextEntryIsNotEarlierThanTheirs(StoreKind kind) {
        LedgerConfig config = config(kind);
        Instant anHourLater = T.plus(Duration.ofHours(1));
        try (Ledger ledger = Ledger.open(config)) {
            UUID alice = openAccount(ledger);
            mint(ledger, alice, "first");
            try (Ledger other = Ledger.open(config.withClock(new SettableClock(anHourLater)))) {
                mint(other, alice, "by-the-other-writer");
            }

            // The version conflict resets the writer's view, its idea of the last entry's time included.
            assertThat(mint(ledger, alice, "after").createdAt()).isEqualTo(anHourLater);
        }
    }

    private LedgerConfig config(StoreKind kind) {
        return TestStores.config(kind).withClock(clock);
    }

    private static UUID openAccount(Ledger ledger) {
        return ledger.createAccount("alice", "alice@example.com", Role.USER).id();
    }

    private static LedgerEntry mint(Ledger ledger, UUID receiver, String transactionId) {
        return ledger.mint(transactionId, receiver, ledger.money("10.00", "EUR"), CTX);
    }
}
