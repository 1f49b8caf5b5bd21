package dev.tally.store.internal.jdbc;

import dev.tally.core.error.StoreException;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.store.FraudEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code fraud_events} table (migrations V9 and V20). Thread-safe. */
final class JdbcFraudEvents implements FraudEventStore {
    static final String INSERT = "INSERT INTO fraud_events (rule, account_id, transaction_ids, figures, action,"
            + " created_at, status, pending_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "SELECT id, rule, account_id, transaction_ids, figures, action, created_at,"
            + " status, resolved_by, resolved_at, pending_id FROM fraud_events ";
    private static final int PAGE = 1000;
    private final DataSource dataSource;
    private final JdbcLedgerStore store;

    JdbcFraudEvents(DataSource dataSource, JdbcLedgerStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** Inserts the events a batch opens, in the batch's transaction. */
    static void insert(Connection c, List<FraudEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (FraudEvent e : events) {
                ps.setString(1, e.rule());
                ps.setString(2, e.account().toString());
                ps.setString(3, String.join("\n", e.transactionIds()));
                ps.setString(4, e.figures());
                ps.setString(5, e.action().label());
                ps.setLong(6, CanonicalEncoding.epochMicros(e.createdAt()));
                ps.setString(7, e.status().label());
                ps.setString(8, e.pendingTransactionId().orElse(null));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<FraudEvent> list(Optional<FraudEvent.Status> status, long afterId, int limit) {
        List<FraudEvent> events = new ArrayList<>();
        if (status.isPresent()) {
            store.query(
                    COLUMNS + "WHERE status = ? AND id > ? ORDER BY id LIMIT ?",
                    ps -> {
                        ps.setString(1, status.get().label());
                        ps.setLong(2, afterId);
                        ps.setInt(3, limit);
                    },
                    rs -> events.add(read(rs)));
        } else {
            store.query(
                    COLUMNS + "WHERE id > ? ORDER BY id LIMIT ?",
                    ps -> {
                        ps.setLong(1, afterId);
                        ps.setInt(2, limit);
                    },
                    rs -> events.add(read(rs)));
        }
        return events;
    }

    @Override
    public Optional<FraudEvent> find(long id) {
        List<FraudEvent> found = new ArrayList<>(1);
        store.query(COLUMNS + "WHERE id = ?", ps -> ps.setLong(1, id), rs -> found.add(read(rs)));
        return found.stream().findFirst();
    }

    @Override
    public List<FraudEvent> holding(String pendingTransactionId) {
        List<FraudEvent> found = new ArrayList<>(1);
        store.query(
                COLUMNS + "WHERE pending_id = ? ORDER BY id",
                ps -> ps.setString(1, pendingTransactionId),
                rs -> found.add(read(rs)));
        return found;
    }

    @Override
    public List<FraudEvent> openedSince(Instant since) {
        // Events are opened in ledger order, so their times grow with their ids: read back from the newest
        // and stop at the first one older than since, instead of scanning a table that only grows.
        List<FraudEvent> newestFirst = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            List<FraudEvent> page = new ArrayList<>(PAGE);
            long below = before;
            store.query(
                    COLUMNS + "WHERE id < ? ORDER BY id DESC LIMIT ?",
                    ps -> {
                        ps.setLong(1, below);
                        ps.setInt(2, PAGE);
                    },
                    rs -> page.add(read(rs)));
            for (FraudEvent e : page) {
                if (e.createdAt().isBefore(since)) {
                    return oldestFirst(newestFirst);
                }
                newestFirst.add(e);
            }
            if (page.size() < PAGE) {
                return oldestFirst(newestFirst);
            }
            before = page.get(page.size() - 1).id();
        }
    }

    private static List<FraudEvent> oldestFirst(List<FraudEvent> newestFirst) {
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public boolean resolve(long id, FraudEvent.Status status, String actor, Instant at) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE fraud_events SET status = ?, resolved_by = ?,"
                        + " resolved_at = ? WHERE id = ? AND status = 'open'")) {
            ps.setString(1, status.label());
            ps.setString(2, actor);
            ps.setLong(3, CanonicalEncoding.epochMicros(at));
            ps.setLong(4, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("cannot resolve fraud event " + id + ": " + e.getMessage(), e);
        }
    }

    private static FraudEvent read(ResultSet rs) throws SQLException {
        String txIds = rs.getString(4);
        String resolvedBy = rs.getString(9);
        long resolvedAt = rs.getLong(10);
        boolean resolved = !rs.wasNull();
        return new FraudEvent(
                rs.getLong(1),
                rs.getString(2),
                UUID.fromString(rs.getString(3)),
                txIds.isEmpty() ? List.of() : Arrays.asList(txIds.split("\n", -1)),
                rs.getString(5),
                FraudAction.parse(rs.getString(6)),
                CanonicalEncoding.fromEpochMicros(rs.getLong(7)),
                FraudEvent.Status.parse(rs.getString(8)),
                Optional.ofNullable(resolvedBy),
                resolved ? Optional.of(CanonicalEncoding.fromEpochMicros(resolvedAt)) : Optional.empty(),
                Optional.ofNullable(rs.getString(11)));
    }
}
