package dev.tally.store.internal.jdbc;

import dev.tally.core.store.BalanceSnapshot;
import dev.tally.core.store.BalanceSnapshotStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads the {@code balance_snapshots} table (migration V18); {@link BatchWriter} writes it, in the
 * transaction of the batch whose entries the snapshots fall on. Thread-safe.
 */
final class JdbcBalanceSnapshots implements BalanceSnapshotStore {
    private final Dialect dialect;
    private final JdbcLedgerStore store;

    JdbcBalanceSnapshots(Dialect dialect, JdbcLedgerStore store) {
        this.dialect = dialect;
        this.store = store;
    }

    @Override
    public Map<String, BalanceSnapshot> latestAtOrBefore(UUID accountId, long seq) {
        // One descent of the primary key per currency the account ever held (its balance rows say which).
        List<String> currencies = new ArrayList<>();
        store.query(
                "SELECT currency FROM balances WHERE account_id = ? ORDER BY currency",
                ps -> dialect.setUuid(ps, 1, accountId),
                rs -> currencies.add(rs.getString(1)));
        Map<String, BalanceSnapshot> found = new LinkedHashMap<>();
        for (String currency : currencies) {
            store.query(
                    "SELECT seq, amount, opening FROM balance_snapshots WHERE account_id = ? AND currency = ? AND seq <= ?"
                            + " ORDER BY seq DESC LIMIT 1",
                    ps -> {
                        dialect.setUuid(ps, 1, accountId);
                        ps.setString(2, currency);
                        ps.setLong(3, seq);
                    },
                    rs -> found.put(currency, read(accountId, currency, rs)));
        }
        return found;
    }

    @Override
    public void streamAll(Consumer<BalanceSnapshot> sink) {
        store.query(
                "SELECT account_id, currency, seq, amount, opening FROM balance_snapshots"
                        + " ORDER BY seq, account_id, currency",
                ps -> ps.setFetchSize(10_000),
                rs -> sink.accept(new BalanceSnapshot(
                        dialect.getUuid(rs, 1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5))));
    }

    @Override
    public Optional<BalanceSnapshot> firstAfter(UUID accountId, String currency, long seq) {
        List<BalanceSnapshot> found = new ArrayList<>(1);
        store.query(
                "SELECT seq, amount, opening FROM balance_snapshots WHERE account_id = ? AND currency = ? AND seq > ?"
                        + " ORDER BY seq LIMIT 1",
                ps -> {
                    dialect.setUuid(ps, 1, accountId);
                    ps.setString(2, currency);
                    ps.setLong(3, seq);
                },
                rs -> found.add(read(accountId, currency, rs)));
        return found.stream().findFirst();
    }

    private static BalanceSnapshot read(UUID accountId, String currency, java.sql.ResultSet rs) throws SQLException {
        return new BalanceSnapshot(accountId, currency, rs.getLong(1), rs.getLong(2), rs.getBoolean(3));
    }
}
