package dev.tally.store.testing.bench;

import dev.tally.core.command.Command;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import dev.tally.store.internal.jdbc.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The seed's write path, kept as the yardstick: one database transaction per transfer, read-modify-write
 * with optimistic version checks and a retry on conflict. Each transfer reads the two accounts, their
 * balances and versions, the treasury's balance and tax total, and the previous entry's hash; computes
 * the tax and the new entry's hash; writes every row {@code WHERE version = ?}; inserts the entry; moves
 * the chain head; and commits, durably. A row that moved under it (or a lock it could not take) rolls the
 * transaction back and starts over after a jittered back-off.
 *
 * <p>It writes the same tables in the same format as Tally, over a store opened by {@code Stores.open}, so
 * the ledger it leaves passes the same invariants; only the write path differs. One instance per thread.
 *
 * <p>It lives beside the store because it is SQL by nature; {@code tally bench write} runs it from this test-jar,
 * which the bench jar carries and the production jar does not.
 */
public final class NaiveBaseline {
    private static final int MAX_ATTEMPTS = 100;
    private static final String ACCOUNT = "SELECT is_frozen_for_fraud, version FROM accounts WHERE id = ?";
    private static final String BALANCE = "SELECT amount, version FROM balances WHERE account_id = ? AND currency = ?";
    private static final String TOTAL =
            "SELECT amount, version FROM treasury_totals WHERE currency = ? AND tax_kind = ?";
    private static final String HEAD = "SELECT seq, hash FROM chain_head WHERE id = 1";
    private static final String UPDATE_BALANCE = "UPDATE balances SET amount = ?, version = version + 1 "
            + "WHERE account_id = ? AND currency = ? AND version = ?";
    private static final String INSERT_BALANCE =
            "INSERT INTO balances (account_id, currency, amount, version) VALUES (?, ?, ?, 1)";
    private static final String UPDATE_TOTAL = "UPDATE treasury_totals SET amount = ?, version = version + 1 "
            + "WHERE currency = ? AND tax_kind = ? AND version = ?";
    private static final String INSERT_TOTAL =
            "INSERT INTO treasury_totals (currency, tax_kind, amount, version) VALUES (?, ?, ?, 1)";
    private static final String MOVE_HEAD =
            "UPDATE chain_head SET seq = ?, hash = ?, version = version + 1 " + "WHERE id = 1 AND seq = ? AND hash = ?";

    private final JdbcLedgerStore store;
    private final Dialect dialect;
    private final Rules rules;
    private final Clock clock;
    private long conflicts;

    /** A writer on {@code store}, which must be a SQLite or PostgreSQL store opened by {@code Stores.open}. */
    public NaiveBaseline(LedgerStore store, Rules rules, Clock clock) {
        if (!(store instanceof JdbcLedgerStore jdbc)) {
            throw new IllegalArgumentException("not a SQLite or PostgreSQL store: " + store.describe());
        }
        this.store = jdbc;
        this.dialect = jdbc.dialect();
        this.rules = rules;
        this.clock = clock;
    }

    /** Transactions rolled back and retried so far. */
    public long conflicts() {
        return conflicts;
    }

    /** Writes one transfer, retrying on conflict; false when it was refused (funds, frozen, unknown). */
    public boolean transfer(Command.Payment p) throws SQLException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = store.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    Boolean written = attempt(c, p);
                    if (written == null) {
                        c.rollback();
                    } else {
                        if (written) {
                            c.commit();
                        } else {
                            c.rollback();
                        }
                        return written;
                    }
                } catch (SQLException e) {
                    c.rollback();
                    if (!isConflict(e) || attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                } finally {
                    c.setAutoCommit(true);
                }
            }
            conflicts++;
            if (attempt >= MAX_ATTEMPTS) {
                throw new SQLException("gave up after " + attempt + " conflicts");
            }
            long capMicros = Math.min(50_000, 100L << Math.min(attempt, 10));
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(capMicros));
        }
    }

    /** One try: true when written, false when refused, null when a version check failed (retry). */
    private @Nullable Boolean attempt(Connection c, Command.Payment p) throws SQLException {
        String currency = p.amount().currency().code();
        long gross = p.amount().minor();
        Optional<long[]> sender = account(c, p.senderId());
        Optional<long[]> receiver = account(c, p.receiverId());
        if (sender.isEmpty() || receiver.isEmpty() || sender.get()[0] != 0) {
            return false;
        }
        long tax = rules.taxPolicy().taxOn(p.type(), currency, gross, p.senderId(), false);
        long[] from = row(c, BALANCE, ps -> bindKey(ps, p.senderId(), currency));
        long[] to = row(c, BALANCE, ps -> bindKey(ps, p.receiverId(), currency));
        if (from[0] < gross) {
            return false;
        }
        long[] treasury = row(c, BALANCE, ps -> bindKey(ps, rules.treasuryId(), currency));
        TaxKind kind = p.type().taxKind();
        long[] total = row(c, TOTAL, ps -> {
            ps.setString(1, currency);
            ps.setString(2, kind.name());
        });
        long seq;
        Hash previous;
        try (PreparedStatement ps = c.prepareStatement(HEAD);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            previous = Hash.of(rs.getBytes(2));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LedgerEntry e = LedgerEntry.sealed(
                seq + 1,
                p.transactionId(),
                p.type(),
                Optional.of(p.senderId()),
                Optional.of(p.receiverId()),
                currency,
                gross,
                tax,
                gross - tax,
                kind,
                now,
                p.context(),
                Optional.empty(),
                previous);
        if (!writeBalance(c, p.senderId(), currency, from, -gross)
                || !writeBalance(c, p.receiverId(), currency, to, gross - tax)) {
            return null;
        }
        if (tax != 0) {
            if (!writeBalance(c, rules.treasuryId(), currency, treasury, tax)
                    || !writeTotal(c, currency, kind, total, tax)) {
                return null;
            }
        }
        Rows.insertEntry(c, dialect, e);
        try (PreparedStatement ps = c.prepareStatement(MOVE_HEAD)) {
            ps.setLong(1, e.seq());
            ps.setBytes(2, e.currentHash().bytes());
            ps.setLong(3, seq);
            ps.setBytes(4, previous.bytes());
            return ps.executeUpdate() == 1 ? Boolean.TRUE : null;
        }
    }

    private Optional<long[]> account(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ACCOUNT)) {
            dialect.setUuid(ps, 1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new long[] {rs.getBoolean(1) ? 1 : 0, rs.getLong(2)}) : Optional.empty();
            }
        }
    }

    /** {amount, version}; {0, 0} when there is no row yet. */
    private static long[] row(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
            }
        }
    }

    private void bindKey(PreparedStatement ps, UUID account, String currency) throws SQLException {
        dialect.setUuid(ps, 1, account);
        ps.setString(2, currency);
    }

    private boolean writeBalance(Connection c, UUID account, String currency, long[] read, long delta)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(read[1] == 0 ? INSERT_BALANCE : UPDATE_BALANCE)) {
            if (read[1] == 0) {
                bindKey(ps, account, currency);
                ps.setLong(3, read[0] + delta);
            } else {
                ps.setLong(1, read[0] + delta);
                dialect.setUuid(ps, 2, account);
                ps.setString(3, currency);
                ps.setLong(4, read[1]);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static boolean writeTotal(Connection c, String currency, TaxKind kind, long[] read, long delta)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(read[1] == 0 ? INSERT_TOTAL : UPDATE_TOTAL)) {
            if (read[1] == 0) {
                ps.setString(1, currency);
                ps.setString(2, kind.name());
                ps.setLong(3, read[0] + delta);
            } else {
                ps.setLong(1, read[0] + delta);
                ps.setString(2, currency);
                ps.setString(3, kind.name());
                ps.setLong(4, read[1]);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /** Another writer inserted the same row, or the database refused a lock or a serialization: retry. */
    private boolean isConflict(SQLException e) {
        if (dialect.isUniqueViolation(e)) {
            return true;
        }
        // SQLITE_BUSY (5) / SQLITE_LOCKED (6): the writer lock is taken; busy_timeout already waited.
        return dialect == Dialect.SQLITE && (e.getErrorCode() == 5 || e.getErrorCode() == 6);
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
