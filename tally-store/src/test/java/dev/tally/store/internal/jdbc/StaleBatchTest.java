package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.CachedState;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.store.Stores;
import dev.tally.store.testing.DatabaseDump;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreWrites;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch decided on a state another batch has since changed is refused as a whole: its version checks (the
 * chain head's, the balances') fail it with a version conflict, and the store is left as the other batch
 * left it. On PostgreSQL the checks run after the batch's statements have all been sent in one round trip.
 */
class StaleBatchTest {
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBatchDecidedBeforeAnotherCommittedIsRefusedAndWritesNothing(StoreKind kind) {
        try (JdbcLedgerStore store = (JdbcLedgerStore) Stores.open(kind.freshLocation())) {
            StoreWrites.openTreasury(store);
            StoreWrites.apply(
                    store,
                    List.of(
                            new Command.OpenAccount(ALICE, "alice", "alice@example.com", Role.USER),
                            new Command.OpenAccount(BOB, "bob", "bob@example.com", Role.USER),
                            new Command.Mint(
                                    "m1", ALICE, Money.parse("100.00", Currency.EUR), EntryContext.actor("admin"))));
            WriteSet first = decide(store, transfer("t1"));
            WriteSet stale = decide(store, transfer("t2"));
            store.commit(first);
            String afterFirst = DatabaseDump.of(store.dataSource());

            assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(VersionConflictException.class);

            assertThat(DatabaseDump.of(store.dataSource())).isEqualTo(afterFirst);
            assertThat(store.findEntry("t2")).isEmpty();
        }
    }

    private static WriteSet decide(JdbcLedgerStore store, Command command) {
        CachedState state = new CachedState(store);
        state.prefetch(List.of(command));
        Overlay overlay = new Overlay(state);
        new Engine(Rules.defaults()).apply(command, overlay, Instant.now().truncatedTo(ChronoUnit.MICROS));
        return overlay.toWriteSet(state.head());
    }

    private static Command.Payment transfer(String id) {
        return new Command.Payment(
                id, EntryType.TRANSFER, ALICE, BOB, Money.parse("1.00", Currency.EUR), EntryContext.actor("alice"));
    }
}
