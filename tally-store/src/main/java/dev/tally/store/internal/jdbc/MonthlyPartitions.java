package dev.tally.store.internal.jdbc;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Keeps the monthly partitions of {@code ledger_entries} (PostgreSQL) ahead of the clock: the current month and
 * the next {@value #MONTHS_AHEAD} always exist, so the write path never creates one and never meets a month
 * without one. Partitions are made on open and then every {@value #PERIOD_MINUTES} minutes by a daemon thread;
 * a month only stops being ahead if that thread has failed for {@value #MONTHS_AHEAD} months in a row, and even
 * then PostgreSQL refuses the row (there is no DEFAULT partition) and its batch rolls back whole.
 */
public final class MonthlyPartitions implements AutoCloseable {
    /** Months created beyond the current one. */
    public static final int MONTHS_AHEAD = 3;

    static final long PERIOD_MINUTES = 60;
    private static final System.Logger LOG = System.getLogger(MonthlyPartitions.class.getName());
    private static final String ENSURE = "SELECT tally_ensure_ledger_month(?)";
    private static final String LIST = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = 'ledger_entries'::regclass ORDER BY c.relname";

    private final DataSource dataSource;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private MonthlyPartitions(DataSource dataSource, Clock clock, ScheduledExecutorService timer) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.timer = timer;
    }

    /** Creates the months ahead of {@code clock} now, then keeps them ahead on a daemon thread until closed. */
    static MonthlyPartitions start(DataSource dataSource, Clock clock) {
        ensureAhead(dataSource, clock.instant());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-partitions");
            t.setDaemon(true);
            return t;
        });
        MonthlyPartitions keeper = new MonthlyPartitions(dataSource, clock, timer);
        timer.scheduleWithFixedDelay(keeper::tick, PERIOD_MINUTES, PERIOD_MINUTES, TimeUnit.MINUTES);
        return keeper;
    }

    private void tick() {
        try {
            ensureAhead(dataSource, clock.instant());
        } catch (RuntimeException e) {
            // Retried at the next tick; the months already ahead cover the writes until then.
            LOG.log(System.Logger.Level.WARNING, "creating the next monthly partitions failed: " + e.getMessage());
        }
    }

    /**
     * Creates the partitions of the month of {@code now} and of the {@value #MONTHS_AHEAD} months after it that do not
     * exist yet (outside any write transaction).
     *
     * @return the names of those months' partitions
     */
    public static List<String> ensureAhead(DataSource dataSource, Instant now) {
        YearMonth first = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ENSURE)) {
            for (int i = 0; i <= MONTHS_AHEAD; i++) {
                ps.setObject(1, first.plusMonths(i).atDay(1), java.sql.Types.DATE);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("creating the monthly partitions of ledger_entries failed: " + e.getMessage(), e);
        }
        return names;
    }

    /** Creates, on {@code c} and in its transaction, the partitions of the months of {@code entries} that lack one. */
    static void ensureMonths(Connection c, List<LedgerEntry> entries) throws SQLException {
        java.util.Set<YearMonth> months = new java.util.TreeSet<>();
        for (LedgerEntry e : entries) {
            months.add(YearMonth.from(e.createdAt().atOffset(ZoneOffset.UTC)));
        }
        try (PreparedStatement ps = c.prepareStatement(ENSURE)) {
            for (YearMonth m : months) {
                ps.setObject(1, m.atDay(1), java.sql.Types.DATE);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /** The partitions of {@code ledger_entries}, oldest first. */
    public static List<String> list(DataSource dataSource) {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(LIST);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("listing the partitions of ledger_entries failed: " + e.getMessage(), e);
        }
        return names;
    }

    /** The partition name of a month: {@code ledger_entries_YYYY_MM}. */
    public static String nameOf(YearMonth month) {
        return String.format("ledger_entries_%04d_%02d", month.getYear(), month.getMonthValue());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
