package dev.tally.store.internal.jdbc;

import dev.tally.core.error.ScaleChangedException;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.RecordedScale;
import dev.tally.core.money.ScaleChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@code currencies} table: each currency's scale, recorded in the transaction that writes its first
 * entry. The codes already recorded are remembered, so that a batch in a known currency costs no statement.
 * Thread-safe.
 */
final class CurrencyRows {
    private static final String SELECT = "SELECT code, scale, first_seq FROM currencies ORDER BY code";
    private static final String INSERT =
            "INSERT INTO currencies (code, scale, first_seq) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING";
    private static final String FIX = "UPDATE currencies SET scale = ? WHERE code = ? AND scale IS NULL";

    private final DataSource dataSource;
    private volatile Currencies configured = Currencies.of(List.of());
    /** The codes known to be recorded; null until first needed, or after a restore wrote behind our back. */
    private volatile @Nullable Set<String> recorded;

    CurrencyRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<RecordedScale> read() {
        try (Connection c = dataSource.getConnection()) {
            return read(c);
        } catch (SQLException e) {
            throw new StoreException("reading the recorded currency scales failed: " + e.getMessage(), e);
        }
    }

    static List<RecordedScale> read(Connection c) throws SQLException {
        List<RecordedScale> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String code = rs.getString(1);
                int scale = rs.getInt(2);
                OptionalInt recorded = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(scale);
                out.add(new RecordedScale(code, recorded, rs.getLong(3)));
            }
        }
        return out;
    }

    /** Checks {@code currencies} against the record, fixes the scales not yet recorded, and adopts them. */
    void fix(Currencies currencies) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<RecordedScale> rows = read(c);
                List<ScaleChange> changes = rows.stream()
                        .flatMap(r -> r.changeBy(currencies).stream())
                        .toList();
                if (!changes.isEmpty()) {
                    c.rollback();
                    throw new ScaleChangedException(changes);
                }
                try (PreparedStatement ps = c.prepareStatement(FIX)) {
                    for (RecordedScale r : rows) {
                        Optional<Currency> now = currencies.find(r.code());
                        if (r.scale().isEmpty() && now.isPresent()) {
                            ps.setInt(1, now.get().scale());
                            ps.setString(2, r.code());
                            ps.addBatch();
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("recording the currency scales failed: " + e.getMessage(), e);
        }
        configured = currencies;
    }

    /**
     * Records, in the caller's transaction, the currencies whose first entries are among {@code entries}.
     *
     * @return the codes recorded now, for {@link #committed} once the transaction commits
     */
    Set<String> recordFirstUse(Connection c, List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return Set.of();
        }
        Set<String> known = known(c);
        Map<String, Long> fresh = null;
        String last = null;
        for (LedgerEntry e : entries) {
            String code = e.currency();
            // Batches mostly hold one currency: compare with the previous entry's before hashing.
            if (code.equals(last) || known.contains(code)) {
                last = code;
                continue;
            }
            if (fresh == null) {
                fresh = new LinkedHashMap<>();
            }
            fresh.putIfAbsent(code, e.seq());
            last = code;
        }
        if (fresh == null) {
            return Set.of();
        }
        insert(c, fresh, configured);
        return fresh.keySet();
    }

    /** Inserts first uses, with the scale {@code currencies} gives (none for a currency it lacks). */
    static void insert(Connection c, Map<String, Long> firstSeqs, Currencies currencies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Map.Entry<String, Long> f : firstSeqs.entrySet()) {
                ps.setString(1, f.getKey());
                Optional<Currency> currency = currencies.find(f.getKey());
                if (currency.isPresent()) {
                    ps.setInt(2, currency.get().scale());
                } else {
                    ps.setNull(2, Types.INTEGER);
                }
                ps.setLong(3, f.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Remembers codes whose rows are now committed. */
    void committed(Set<String> codes) {
        Set<String> known = recorded;
        if (known != null && !codes.isEmpty()) {
            known.addAll(codes);
        }
    }

    /** Forgets what is recorded: rows were written outside {@link #recordFirstUse} (a restore). */
    void forget() {
        recorded = null;
    }

    private Set<String> known(Connection c) throws SQLException {
        Set<String> known = recorded;
        if (known == null) {
            known = ConcurrentHashMap.newKeySet();
            for (RecordedScale r : read(c)) {
                known.add(r.code());
            }
            recorded = known;
        }
        return known;
    }
}
