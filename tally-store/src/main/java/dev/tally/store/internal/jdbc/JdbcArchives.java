package dev.tally.store.internal.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.ArchiveStore;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.BoundaryState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The archived months of a PostgreSQL ledger (table {@code archived_months}) and the one transaction that moves a
 * month out: record it, detach its partition, drop it.
 */
final class JdbcArchives implements ArchiveStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARTITION = Pattern.compile("ledger_entries_(\\d{4})_(\\d{2})");
    private static final String COLUMNS = "month, partition_name, first_seq, last_seq, last_hash, last_created_at, "
            + "file_name, file_sha256, file_bytes, checkpoint_note, boundary_state, archived_at";
    private final DataSource dataSource;

    JdbcArchives(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public List<ArchivedMonth> archived() {
        List<ArchivedMonth> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + " FROM archived_months ORDER BY last_seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(read(rs));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the archived months failed: " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public List<LiveMonth> liveMonthsBefore(YearMonth before) {
        List<LiveMonth> months = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String partition : MonthlyPartitions.list(dataSource)) {
                YearMonth month = monthOf(partition);
                if (!month.isBefore(before)) {
                    continue;
                }
                long[] extent = extent(c, partition);
                if (extent[2] > 0) {
                    months.add(new LiveMonth(month, partition, extent[0], extent[1], extent[2]));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading the live months failed: " + e.getMessage(), e);
        }
        return months;
    }

    @Override
    public void commit(ArchivedMonth month) {
        String partition = month.partition();
        monthOf(partition); // only a partition's name ever reaches the DDL below
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long[] extent = extent(c, partition);
                if (extent[0] != month.firstSeq() || extent[1] != month.lastSeq() || extent[2] != month.entries()) {
                    throw new IllegalStateException(partition + " holds seq " + extent[0] + ".." + extent[1] + " ("
                            + extent[2] + " entries), not the archived " + month.firstSeq() + ".."
                            + month.lastSeq());
                }
                insert(c, month);
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE ledger_entries DETACH PARTITION " + partition);
                    s.execute("DROP TABLE " + partition);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("archiving " + partition + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalLong archivedSeq(String transactionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT k.seq FROM ledger_entry_keys k WHERE"
                        + " k.transaction_id = ? AND k.seq <= (SELECT max(last_seq) FROM archived_months)")) {
            ps.setString(1, transactionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("looking up an archived entry failed: " + e.getMessage(), e);
        }
    }

    /** min(seq), max(seq), count(*) of a partition. */
    private static long[] extent(Connection c, String partition) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0), count(*) FROM " + partition)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    static YearMonth monthOf(String partition) {
        Matcher m = PARTITION.matcher(partition);
        if (!m.matches()) {
            throw new IllegalArgumentException(partition + " is not a monthly partition of ledger_entries");
        }
        return YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static void insert(Connection c, ArchivedMonth m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archived_months (" + COLUMNS
                + ", entries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.month().toString());
            ps.setString(2, m.partition());
            ps.setLong(3, m.firstSeq());
            ps.setLong(4, m.lastSeq());
            ps.setBytes(5, m.lastHash().bytes());
            ps.setLong(6, m.lastCreatedAtMicros());
            ps.setString(7, m.fileName());
            ps.setBytes(8, m.sha256());
            ps.setLong(9, m.fileBytes());
            ps.setString(10, m.checkpointNote());
            ps.setString(11, write(m.state()));
            ps.setLong(12, java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, m.archivedAt()));
            ps.setLong(13, m.entries());
            ps.executeUpdate();
        }
    }

    private static ArchivedMonth read(ResultSet rs) throws SQLException {
        long at = rs.getLong(12);
        return new ArchivedMonth(
                YearMonth.parse(rs.getString(1)),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4),
                Hash.of(rs.getBytes(5)),
                rs.getLong(6),
                rs.getString(7),
                rs.getBytes(8),
                rs.getLong(9),
                rs.getString(10),
                parse(rs.getString(11)),
                Instant.ofEpochSecond(Math.floorDiv(at, 1_000_000L), Math.floorMod(at, 1_000_000L) * 1000));
    }

    static String write(BoundaryState s) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode balances = root.putArray("balances");
        s.balances()
                .forEach((k, v) -> balances.addObject()
                        .put("account_id", k.accountId().toString())
                        .put("currency", k.currency())
                        .put("amount", v));
        ArrayNode totals = root.putArray("treasury_totals");
        s.treasuryTotals()
                .forEach((k, v) -> totals.addObject()
                        .put("currency", k.currency())
                        .put("tax_kind", k.kind().name())
                        .put("amount", v));
        ArrayNode supply = root.putArray("supply");
        s.supply()
                .forEach((c, v) -> supply.addObject()
                        .put("currency", c)
                        .put("minted", v.minted())
                        .put("burned", v.burned()));
        return root.toString();
    }

    static BoundaryState parse(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            Map<BalanceKey, Long> balances = new HashMap<>();
            root.path("balances")
                    .forEach(n -> balances.put(
                            new BalanceKey(
                                    UUID.fromString(n.path("account_id").asText()),
                                    n.path("currency").asText()),
                            n.path("amount").asLong()));
            Map<TreasuryKey, Long> totals = new HashMap<>();
            root.path("treasury_totals")
                    .forEach(n -> totals.put(
                            new TreasuryKey(
                                    n.path("currency").asText(),
                                    TaxKind.valueOf(n.path("tax_kind").asText())),
                            n.path("amount").asLong()));
            Map<String, Supply> supply = new HashMap<>();
            root.path("supply")
                    .forEach(n -> supply.put(
                            n.path("currency").asText(),
                            new Supply(
                                    n.path("minted").asLong(), n.path("burned").asLong(), 0)));
            return new BoundaryState(balances, totals, supply);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("the boundary state of an archived month does not read: " + e.getMessage(), e);
        }
    }
}
