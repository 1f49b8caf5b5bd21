package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.store.HistoryQuery;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The queries the seed's compound indexes exist for stay indexed on SQLite now that the indexes no query used
 * are gone: each plan searches an index (or the rowid), and none scans the whole table or sorts it. An account's
 * history is one range of the side file's postings key per bucket, lookups of entries by seq, and a range of the
 * ledger's primary key for the tail not yet indexed.
 */
class QueryPlanTest {
    private static final String[] DROPPED = {
        "ledger_status_idx",
        "ledger_currency_type_idx",
        "ledger_created_idx",
        "ledger_current_hash_uq",
        // Replaced by the history index behind the commit (the side file's postings).
        "ledger_sender_created_idx",
        "ledger_receiver_created_idx"
    };

    @Test
    void anAccountsHistoryTailIsARangeOfTheLedgersPrimaryKey() {
        try (JdbcLedgerStore store = fresh()) {
            for (HistoryQuery.Direction direction : HistoryQuery.Direction.values()) {
                for (boolean metadata : new boolean[] {false, true}) {
                    assertThat(plan(store, PostingsHistory.tailSql(direction, metadata)))
                            .as("%s, metadata %s", direction, metadata)
                            .contains("SEARCH ledger_entries USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)")
                            .doesNotContain("SCAN ledger_entries")
                            .doesNotContain("TEMP B-TREE");
                }
            }
        }
    }

    @Test
    void anAccountsIndexedHistoryIsOneRangeOfThePostingsKeyAndLookupsBySeq() {
        try (JdbcLedgerStore store = fresh()) {
            PostingsFile postings = store.postingsFile().orElseThrow();
            for (boolean newestFirst : new boolean[] {false, true}) {
                assertThat(plan(postings.dataSource(), PostingsFile.seqsSql(newestFirst)))
                        .as("newest first %s", newestFirst)
                        .contains(
                                "SEARCH postings USING PRIMARY KEY (bucket=? AND account=? AND direction=? AND seq>? AND seq<?)")
                        .doesNotContain("TEMP B-TREE");
                assertThat(plan(store, PostingsHistory.entriesSql(3, true, newestFirst)))
                        .contains("SEARCH ledger_entries USING INTEGER PRIMARY KEY (rowid=?)")
                        .doesNotContain("SCAN ledger_entries");
            }
        }
    }

    @Test
    void entriesByTypeAndDateSearchTheTypeCreatedIndexInOrder() {
        try (JdbcLedgerStore store = fresh()) {
            String plan = plan(
                    store,
                    "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE type = ? AND created_at >= ? "
                            + "AND created_at < ? ORDER BY created_at");

            assertThat(plan)
                    .contains(
                            "SEARCH ledger_entries USING INDEX ledger_type_created_idx (type=? AND created_at>? AND created_at<?)")
                    .doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void frozenAccountsSearchTheFrozenIndex() {
        try (JdbcLedgerStore store = fresh()) {
            assertThat(plan(store, "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE is_frozen_for_fraud = 1"))
                    .contains("SEARCH accounts USING INDEX accounts_is_frozen_for_fraud_idx (is_frozen_for_fraud=?)");
        }
    }

    @Test
    void aLookupByTransactionIdSearchesItsUniqueIndex() {
        try (JdbcLedgerStore store = fresh()) {
            assertThat(plan(
                            store,
                            "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE transaction_id IN (?, ?, ?)"))
                    .contains("SEARCH ledger_entries USING INDEX ledger_transaction_id_uq (transaction_id=?)");
        }
    }

    @Test
    void aLookupOfReversalsSearchesThePartialUniqueIndex() {
        try (JdbcLedgerStore store = fresh()) {
            assertThat(plan(
                            store,
                            "SELECT reverses_transaction_id, transaction_id FROM ledger_entries "
                                    + "WHERE reverses_transaction_id IN (?, ?)"))
                    .contains("USING INDEX ledger_reverses_uq (reverses_transaction_id=?)");
        }
    }

    @Test
    void theIndexesThatServedNoQueryAreGone() {
        try (JdbcLedgerStore store = fresh()) {
            assertThat(indexes(store))
                    .doesNotContain(DROPPED)
                    .contains(
                            "ledger_transaction_id_uq",
                            "ledger_type_created_idx",
                            "ledger_reverses_uq",
                            "accounts_is_frozen_for_fraud_idx");
        }
    }

    static List<String> indexes(JdbcLedgerStore store) {
        return rows(store, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name", 1);
    }

    /** SQLite's plan for {@code sql}, one line per step ({@code EXPLAIN QUERY PLAN}'s detail column). */
    private static String plan(JdbcLedgerStore store, String sql) {
        return plan(store.dataSource(), sql);
    }

    private static String plan(DataSource source, String sql) {
        return String.join("\n", rows(source, "EXPLAIN QUERY PLAN " + sql, 4));
    }

    private static List<String> rows(JdbcLedgerStore store, String sql, int column) {
        return rows(store.dataSource(), sql, column);
    }

    private static List<String> rows(DataSource source, String sql, int column) {
        List<String> out = new ArrayList<>();
        try (Connection c = source.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setString(i, "x");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(column));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static JdbcLedgerStore fresh() {
        return (JdbcLedgerStore) Stores.open(StoreKind.SQLITE.freshLocation());
    }
}
