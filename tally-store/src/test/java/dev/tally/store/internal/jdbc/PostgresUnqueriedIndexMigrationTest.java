package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Link;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.HistoryQuery;
import dev.tally.store.Stores;
import dev.tally.store.testing.DatabaseDump;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreWrites;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL ledger written under schema V18 opens under the current schema: V19 drops only the indexes of
 * ledger_entries that no query uses, keeps every row, and the ledger reads, verifies and writes as before.
 */
class PostgresUnqueriedIndexMigrationTest {
    @Test
    void aLedgerWrittenUnderV18KeepsEveryRowAndLosesOnlyTheUnqueriedIndexes() {
        String url = StoreKind.POSTGRES.freshLocation();
        Flyway.configure()
                .dataSource(url, null, null)
                .locations(Dialect.POSTGRES.migrationLocation())
                .table("tally_schema_history")
                .target("18")
                .load()
                .migrate();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        String before;
        PGSimpleDataSource v18 = new PGSimpleDataSource();
        v18.setURL(url);
        try (JdbcLedgerStore store = new JdbcLedgerStore(v18, Dialect.POSTGRES, "postgres under V18", () -> {})) {
            assertThat(PostgresQueryPlanTest.indexes(store)).contains(PostgresQueryPlanTest.DROPPED);
            writeSomeEntries(store, alice, bob);
            before = DatabaseDump.of(store.dataSource());
        }

        try (JdbcLedgerStore migrated = (JdbcLedgerStore) Stores.open(url)) {
            assertThat(PostgresQueryPlanTest.indexes(migrated))
                    .doesNotContain(PostgresQueryPlanTest.DROPPED)
                    .contains(
                            "ledger_sender_created_idx",
                            "ledger_receiver_created_idx",
                            "ledger_type_created_idx",
                            "ledger_entry_keys_transaction_id_uq");
            assertThat(DatabaseDump.of(migrated.dataSource())).isEqualTo(before);
            assertThat(migrated.history(new HistoryQuery(alice, HistoryQuery.Direction.SENT, Optional.empty(), 10)))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactly("t3", "t2", "t1");
            assertThat(migrated.findEntry("t2")).isPresent();
            ChainVerifier verifier = new ChainVerifier(Currencies.defaults(), Link.GENESIS, 100);
            new ChainScanner(migrated).scan(1, migrated.loadHead().seq(), verifier, n -> {});
            assertThat(verifier.result().findings()).isEmpty();

            Outcome more = StoreWrites.apply(migrated, List.of(transfer("t4", alice, bob)))
                    .getFirst();
            assertThat(more).isInstanceOf(Outcome.Written.class);
            assertThat(migrated.findEntry("t4")).isPresent();
        }
    }

    private static void writeSomeEntries(JdbcLedgerStore store, UUID alice, UUID bob) {
        StoreWrites.openTreasury(store);
        StoreWrites.apply(
                store,
                List.of(
                        new Command.OpenAccount(alice, "alice", "alice@example.com", Role.USER),
                        new Command.OpenAccount(bob, "bob", "bob@example.com", Role.USER)));
        StoreWrites.apply(
                store,
                List.of(new Command.Mint(
                        "m1", alice, Money.parse("100.00", Currency.EUR), EntryContext.actor("admin"))));
        for (String id : new String[] {"t1", "t2", "t3"}) {
            StoreWrites.apply(store, List.of(transfer(id, alice, bob)));
        }
    }

    private static Command.Payment transfer(String id, UUID from, UUID to) {
        return new Command.Payment(
                id, EntryType.TRANSFER, from, to, Money.parse("1.00", Currency.EUR), EntryContext.actor("alice"));
    }
}
