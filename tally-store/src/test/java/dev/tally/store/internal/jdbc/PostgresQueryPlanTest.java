package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.store.HistoryQuery;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queries the seed's compound indexes exist for stay indexed on PostgreSQL now that the indexes no query
 * used are gone. Each plan is PostgreSQL's generic plan (the one a prepared statement settles on) with
 * sequential scans priced out, so that on a small test table it shows which index can serve the query: each
 * searches an index of every partition it reads, never scans one.
 */
class PostgresQueryPlanTest {
    static final String[] DROPPED = {
        "ledger_transaction_id_idx", "ledger_status_idx", "ledger_currency_type_idx", "ledger_created_idx"
    };

    private static JdbcLedgerStore store;

    @BeforeAll
    static void open() {
        store = (JdbcLedgerStore) Stores.open(StoreKind.POSTGRES.freshLocation());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void anAccountsHistoryNewestFirstSearchesTheSenderAndReceiverIndexes() {
        for (boolean keyset : new boolean[] {false, true}) {
            assertThat(plan(JdbcLedgerStore.historySql(Dialect.POSTGRES, HistoryQuery.Direction.SENT, keyset, false)))
                    .as("sent, keyset %s", keyset)
                    .contains("sender_id_created_at_seq_idx")
                    .doesNotContain("Seq Scan", "Sort");
            assertThat(plan(JdbcLedgerStore.historySql(
                            Dialect.POSTGRES, HistoryQuery.Direction.RECEIVED, keyset, false)))
                    .as("received, keyset %s", keyset)
                    .contains("receiver_id_created_at_seq_idx")
                    .doesNotContain("Seq Scan", "Sort");
            assertThat(plan(JdbcLedgerStore.historySql(Dialect.POSTGRES, HistoryQuery.Direction.ALL, keyset, false)))
                    .as("both, keyset %s", keyset)
                    .contains("sender_id_created_at_seq_idx", "receiver_id_created_at_seq_idx")
                    .doesNotContain("Seq Scan");
        }
    }

    @Test
    void entriesByTypeAndDateSearchTheTypeCreatedIndex() {
        assertThat(plan("SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE type = ? AND created_at >= ? "
                        + "AND created_at < ? ORDER BY created_at"))
                .contains("type_created_at_idx")
                .doesNotContain("Seq Scan");
    }

    @Test
    void frozenAccountsSearchTheFrozenIndex() {
        assertThat(plan("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE is_frozen_for_fraud = true"))
                .contains("accounts_is_frozen_for_fraud_idx")
                .doesNotContain("Seq Scan");
    }

    @Test
    void aLookupByTransactionIdSearchesTheKeysUniqueIndexThenOnePrimaryKey() {
        assertThat(plan(Rows.KEYED_ENTRY_SELECT + " WHERE k.transaction_id = ANY (?)"))
                .contains("ledger_entry_keys_transaction_id_uq", "_pkey")
                .doesNotContain("Seq Scan");
    }

    @Test
    void aLookupOfReversalsSearchesThePartialUniqueIndex() {
        assertThat(plan("SELECT reverses_transaction_id, transaction_id FROM ledger_entry_keys "
                        + "WHERE reverses_transaction_id = ANY (?)"))
                .contains("ledger_entry_keys_reverses_uq")
                .doesNotContain("Seq Scan");
    }

    @Test
    void aRangeOfEntriesBySeqSearchesThePrimaryKey() {
        assertThat(plan("SELECT " + Rows.ENTRY_COLUMNS
                        + " FROM ledger_entries WHERE seq >= ? AND seq <= ? ORDER BY seq"))
                .contains("_pkey")
                .doesNotContain("Seq Scan");
    }

    @Test
    void theIndexesThatServedNoQueryAreGone() {
        assertThat(indexes(store))
                .doesNotContain(DROPPED)
                .contains(
                        "ledger_sender_created_idx",
                        "ledger_receiver_created_idx",
                        "ledger_type_created_idx",
                        "ledger_entry_keys_transaction_id_uq",
                        "ledger_entry_keys_reverses_uq",
                        "accounts_is_frozen_for_fraud_idx");
    }

    /** The indexes of the store's schema, partitioned tables' own (not their partitions'). */
    static List<String> indexes(JdbcLedgerStore store) {
        return rows(
                store,
                List.of(),
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('i', 'I') AND n.nspname = current_schema() "
                        + "AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) ORDER BY 1");
    }

    /** The generic plan of {@code sql} (its {@code ?} parameters typed by PostgreSQL from their context). */
    private static String plan(String sql) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        String nulls = String.join(", ", java.util.Collections.nCopies(n, "NULL"));
        return String.join(
                "\n",
                rows(
                        store,
                        List.of(
                                "SET enable_seqscan = off",
                                "SET plan_cache_mode = force_generic_plan",
                                // Every month's partition in the plan: the NULL arguments would prune them all.
                                "SET enable_partition_pruning = off",
                                "PREPARE planned AS " + numbered),
                        "EXPLAIN EXECUTE planned" + (n == 0 ? "" : "(" + nulls + ")"),
                        "DEALLOCATE planned"));
    }

    private static List<String> rows(JdbcLedgerStore store, List<String> setup, String sql, String... after) {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement()) {
            try {
                for (String s : setup) {
                    st.execute(s);
                }
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                for (String s : after) {
                    st.execute(s);
                }
            } finally {
                // The connection goes back to the pool as it came.
                st.execute("RESET ALL");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }
}
