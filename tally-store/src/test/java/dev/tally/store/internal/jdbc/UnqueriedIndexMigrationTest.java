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
import dev.tally.store.testing.StoreSql;
import dev.tally.store.testing.StoreWrites;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A SQLite ledger written under schema V7 opens under the current schema: the migration drops only the
 * indexes no query uses, keeps every row, and the ledger reads, verifies and writes as before.
 */
class UnqueriedIndexMigrationTest {
    @Test
    void aLedgerWrittenUnderV7KeepsEveryRowAndLosesOnlyTheUnqueriedIndexes() {
        String written = StoreKind.SQLITE.freshLocation();
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        String before;
        try (JdbcLedgerStore store = (JdbcLedgerStore) Stores.open(written)) {
            writeSomeEntries(store, alice, bob);
            before = DatabaseDump.of(store.dataSource());
        }
        String v7 = ledgerUnderV7(written);
        assertThat(
                        StoreSql.queryLongAt(
                                "jdbc:sqlite:" + v7,
                                "SELECT count(*) FROM sqlite_master WHERE name IN ('ledger_current_hash_uq', 'ledger_status_idx')"))
                .isEqualTo(2);

        try (JdbcLedgerStore migrated = (JdbcLedgerStore) Stores.open(v7)) {
            assertThat(QueryPlanTest.indexes(migrated))
                    .doesNotContain(
                            "ledger_status_idx",
                            "ledger_currency_type_idx",
                            "ledger_created_idx",
                            "ledger_current_hash_uq")
                    .contains("ledger_transaction_id_uq", "ledger_type_created_idx");
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

    /**
     * A new file with the schema as V7 left it, holding every row of {@code source}: the tables are the same
     * under V7 and now, only the indexes differ, so this is the ledger as V7 would have written it.
     */
    private static String ledgerUnderV7(String source) {
        String v7 = StoreKind.SQLITE.freshLocation();
        String url = "jdbc:sqlite:" + v7;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations(Dialect.SQLITE.migrationLocation())
                .table("tally_schema_history")
                .target("7")
                .load()
                .migrate();
        List<String> copy = new ArrayList<>();
        copy.add("ATTACH DATABASE '" + source + "' AS src");
        for (String table : new String[] {"chain_head", "ledger_controls"}) {
            copy.add("DELETE FROM main." + table);
        }
        for (String table : TABLES_OF_V7) {
            // Only V7's columns: later migrations add columns (all NULL for these entries).
            String columns = columnsOf(url, table);
            copy.add("INSERT INTO main." + table + " (" + columns + ") SELECT " + columns + " FROM src." + table);
        }
        StoreSql.executeAt(url, copy.toArray(String[]::new));
        return v7;
    }

    private static String columnsOf(String url, String table) {
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("PRAGMA main.table_info(" + table + ")")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
            return String.join(", ", names);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table, e);
        }
    }

    private static final String[] TABLES_OF_V7 = {
        "accounts", "balances", "ledger_entries", "treasury_totals", "currency_supply", "chain_head",
        "ledger_controls", "verification_runs", "merkle_hashes", "checkpoints", "api_keys", "admin_actions",
        "currencies", "checkpoint_keys"
    };
}
