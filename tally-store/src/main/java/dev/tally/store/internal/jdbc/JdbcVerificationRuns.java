package dev.tally.store.internal.jdbc;

import dev.tally.core.audit.AnchorMac;
import dev.tally.core.audit.RunKind;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.Hash;
import dev.tally.core.store.VerificationRunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code verification_runs} table (migration V2): every audit run, for history, alerting, and the
 * anchor of incremental verification. Thread-safe.
 */
final class JdbcVerificationRuns implements VerificationRunStore {
    private static final String COLUMNS =
            "id, kind, started_at, finished_at, from_seq, to_seq, last_hash, valid, findings_count, duration_ms, anchor_mac";
    private final DataSource dataSource;
    private final Dialect dialect;

    JdbcVerificationRuns(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    @Override
    public void record(VerificationRun run) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO verification_runs (" + COLUMNS
                        + ", report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            dialect.setUuid(ps, 1, run.id());
            ps.setString(2, run.kind().name());
            ps.setLong(3, CanonicalEncoding.epochMicros(run.startedAt()));
            ps.setLong(4, CanonicalEncoding.epochMicros(run.finishedAt()));
            ps.setLong(5, run.fromSeq());
            ps.setLong(6, run.toSeq());
            if (run.lastHash().isPresent()) {
                ps.setBytes(7, run.lastHash().get().bytes());
            } else {
                ps.setNull(7, Types.BINARY);
            }
            dialect.setBoolean(ps, 8, run.valid());
            ps.setLong(9, run.findingsCount());
            ps.setLong(10, run.durationMs());
            Rows.setOptional(ps, 11, run.anchorMac().map(AnchorMac::text));
            Rows.setOptional(ps, 12, run.report());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording a verification run failed: " + e.getMessage(), e);
        }
    }

    /**
     * The newest successful chain verification that ended on an entry: the trusted anchor of an
     * incremental run.
     */
    @Override
    public Optional<VerificationRun> lastSuccessfulVerification() {
        List<VerificationRun> found = query(
                "SELECT " + COLUMNS + " FROM verification_runs WHERE valid = ? AND kind <> 'RECONCILE' "
                        + "AND last_hash IS NOT NULL ORDER BY finished_at DESC, started_at DESC LIMIT 1",
                ps -> dialect.setBoolean(ps, 1, true),
                false);
        return found.stream().findFirst();
    }

    /**
     * The newest successful chain verifications that ended on an entry and carry an anchor MAC, newest first,
     * at most {@code limit}: the candidates an incremental run may start from once their MAC verifies.
     */
    @Override
    public List<VerificationRun> recentAnchors(int limit) {
        return query(
                "SELECT " + COLUMNS
                        + " FROM verification_runs WHERE valid = ? AND kind <> 'RECONCILE' AND last_hash IS NOT NULL"
                        + " AND anchor_mac IS NOT NULL ORDER BY finished_at DESC, started_at DESC LIMIT ?",
                ps -> {
                    dialect.setBoolean(ps, 1, true);
                    ps.setInt(2, limit);
                },
                false);
    }

    @Override
    public List<VerificationRun> history(int limit) {
        return query(
                "SELECT " + COLUMNS + " FROM verification_runs ORDER BY finished_at DESC, started_at DESC LIMIT ?",
                ps -> ps.setInt(1, limit),
                false);
    }

    @Override
    public Optional<VerificationRun> find(UUID id) {
        return query(
                        "SELECT " + COLUMNS + ", report FROM verification_runs WHERE id = ?",
                        ps -> dialect.setUuid(ps, 1, id),
                        true)
                .stream()
                .findFirst();
    }

    private List<VerificationRun> query(String sql, JdbcLedgerStore.Binder binder, boolean withReport) {
        List<VerificationRun> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] hash = rs.getBytes(7);
                    runs.add(new VerificationRun(
                            dialect.getUuid(rs, 1),
                            RunKind.valueOf(rs.getString(2)),
                            CanonicalEncoding.fromEpochMicros(rs.getLong(3)),
                            CanonicalEncoding.fromEpochMicros(rs.getLong(4)),
                            rs.getLong(5),
                            rs.getLong(6),
                            hash != null && hash.length == 32 ? Optional.of(Hash.of(hash)) : Optional.empty(),
                            rs.getBoolean(8),
                            rs.getLong(9),
                            rs.getLong(10),
                            withReport ? Optional.ofNullable(rs.getString(12)) : Optional.empty(),
                            anchorMac(rs.getString(11))));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading verification runs failed: " + e.getMessage(), e);
        }
        return runs;
    }

    /** A stored MAC; one that does not parse is kept as none, so its run is never an anchor. */
    private static Optional<AnchorMac> anchorMac(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(AnchorMac.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
