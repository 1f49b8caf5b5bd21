package dev.tally.store.internal.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.ProxyConnection;
import dev.tally.core.account.Account;
import dev.tally.core.engine.Balance;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.CommitOutcomeUnknownException;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.RecordedScale;
import dev.tally.core.store.AccountQuery;
import dev.tally.core.store.AdminLogStore;
import dev.tally.core.store.ApiKeyStore;
import dev.tally.core.store.ArchiveStore;
import dev.tally.core.store.BalanceSnapshotStore;
import dev.tally.core.store.CheckpointStore;
import dev.tally.core.store.FraudEventStore;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import dev.tally.core.store.ReplicationPosition;
import dev.tally.core.store.VerificationRunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LedgerStore} over JDBC, shared by SQLite and PostgreSQL; a {@link Dialect} covers the
 * differences. Commits are durable because the connections are configured so (SQLite
 * {@code synchronous=FULL}, PostgreSQL {@code synchronous_commit=on}): when {@link #commit} returns, the
 * batch is on disk.
 */
public final class JdbcLedgerStore implements LedgerStore {
    static final int IN_CHUNK = 500;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final String description;
    private final BatchWriter writer;
    private final CurrencyRows currencies;
    private final AutoCloseable onClose;
    private final JdbcCheckpoints checkpoints;
    private final ArchiveStore archives;
    private final JdbcVerificationRuns verificationRuns;
    private final JdbcApiKeys apiKeys;
    private final JdbcAdminLog adminLog;
    private final JdbcFraudEvents fraudEvents;
    private final JdbcBalanceSnapshots balanceSnapshots;
    private final @Nullable PostingsFile postingsFile;
    private final @Nullable PostingsHistory postingsHistory;
    private final @Nullable PostingsIndexer indexer;

    public JdbcLedgerStore(DataSource dataSource, Dialect dialect, String description, AutoCloseable onClose) {
        this(dataSource, dialect, description, onClose, null, null);
    }

    /**
     * A store whose history is read through a side index ({@code postings}, SQLite) that {@code indexer} fills
     * behind the commits; without them, through the ledger's own (account, created_at) indexes.
     */
    JdbcLedgerStore(
            DataSource dataSource,
            Dialect dialect,
            String description,
            AutoCloseable onClose,
            @Nullable PostingsFile postings,
            @Nullable PostingsIndexer indexer) {
        this.postingsFile = postings;
        this.postingsHistory = postings == null ? null : new PostingsHistory(postings, this);
        this.indexer = indexer;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
        this.writer = new BatchWriter(dialect);
        this.currencies = new CurrencyRows(dataSource);
        this.onClose = onClose;
        this.checkpoints = new JdbcCheckpoints(dataSource, this);
        this.archives = dialect == Dialect.POSTGRES ? new JdbcArchives(dataSource) : ArchiveStore.none();
        this.verificationRuns = new JdbcVerificationRuns(dataSource, dialect);
        this.apiKeys = new JdbcApiKeys(dataSource, dialect, this);
        this.adminLog = new JdbcAdminLog(dataSource, this);
        this.fraudEvents = new JdbcFraudEvents(dataSource, this);
        this.balanceSnapshots = new JdbcBalanceSnapshots(dialect, this);
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public VerificationRunStore verificationRuns() {
        return verificationRuns;
    }

    @Override
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Override
    public AdminLogStore adminLog() {
        return adminLog;
    }

    @Override
    public FraudEventStore fraudEvents() {
        return fraudEvents;
    }

    @Override
    public ArchiveStore archives() {
        return archives;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The pool, for tools and tests that must reach below the library (tamper tests, benchmarks). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The SQLite history index, for tests that hold it at a chosen position or damage it; empty on PostgreSQL. */
    Optional<PostingsFile> postingsFile() {
        return Optional.ofNullable(postingsFile);
    }

    /** The thread that fills the history index, for tests that stop it; empty on PostgreSQL. */
    Optional<PostingsIndexer> postingsIndexer() {
        return Optional.ofNullable(indexer);
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any failure before the commit is sent rolls back and is a {@link StoreException} (or a
     * {@link VersionConflictException}): nothing of the batch can become durable, because the database never
     * commits a transaction it was not asked to commit. A failure of the commit itself is a
     * {@link CommitOutcomeUnknownException}. Once the commit has returned, the batch is durable and nothing
     * after it (restoring the connection, returning it to the pool) can turn that into a failure.
     */
    @Override
    public void commit(WriteSet batch) {
        Connection c = borrowForWrite();
        boolean clean = false;
        try {
            Set<String> firstUses = writeOrRollBack(c, batch);
            commitOrDoubt(c);
            clean = true;
            currencies.committed(firstUses);
            if (indexer != null && !batch.entries().isEmpty()) {
                indexer.committed(
                        batch.entries().get(batch.entries().size() - 1).seq());
            }
        } finally {
            release(c, clean);
        }
    }

    /**
     * A pooled connection outside any transaction. One that is still inside one (its rollback failed, the
     * pool could not reset it) is discarded: writing on it could run each statement in a transaction of its
     * own and leave a batch half-written.
     */
    private Connection borrowForWrite() {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreException("commit failed on " + description + ": no connection: " + e.getMessage(), e);
        }
        try {
            if (c.getAutoCommit()) {
                return c;
            }
        } catch (SQLException | RuntimeException e) {
            // unusable: discarded below
        }
        discard(c);
        release(c, false);
        throw new StoreException("commit failed on " + description
                + ": a pooled connection was left inside a transaction; it was discarded");
    }

    /**
     * Writes the batch in a transaction, with the first uses of currencies; on any failure rolls it back and
     * rethrows.
     *
     * @return the currencies whose first entries the batch holds
     */
    private Set<String> writeOrRollBack(Connection c, WriteSet batch) {
        try {
            c.setAutoCommit(false);
            writer.write(c, batch);
            return currencies.recordFirstUse(c, batch.entries());
        } catch (SQLException e) {
            rollBack(c, e);
            if (dialect.isUniqueViolation(e)) {
                throw new VersionConflictException("another writer inserted the same row first: " + e.getMessage());
            }
            throw new StoreException("commit failed on " + description + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollBack(c, e);
            throw e;
        }
    }

    private void commitOrDoubt(Connection c) {
        try {
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            discard(c);
            throw new CommitOutcomeUnknownException(
                    "the commit on " + description + " was sent and not confirmed: " + e.getMessage(), e);
        }
    }

    private void rollBack(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            // Still uncommitted (nothing asked for a commit), but the connection's state is unknown: never reuse it.
            failure.addSuppressed(e);
            discard(c);
        }
    }

    /**
     * Returns the connection to the pool. Autocommit is restored only after a clean commit or rollback:
     * switching it on inside an open transaction would commit that transaction.
     */
    private void release(Connection c, boolean clean) {
        try {
            if (clean && !c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            discard(c);
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // The batch's fate is already decided; a connection that cannot be returned is the pool's concern.
            discard(c);
        }
    }

    /** Takes a connection out of the pool for good, so that a transaction in an unknown state is never continued. */
    private void discard(Connection c) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                Connection pooled = c instanceof ProxyConnection || !c.isWrapperFor(ProxyConnection.class)
                        ? c
                        : c.unwrap(ProxyConnection.class);
                dataSource.unwrap(HikariDataSource.class).evictConnection(pooled);
            } else {
                c.abort(Runnable::run);
            }
        } catch (SQLException | RuntimeException e) {
            // Best effort: a broken connection fails its next use and the pool drops it then.
        }
    }

    @Override
    public List<RecordedScale> recordedScales() {
        return currencies.read();
    }

    @Override
    public void fixScales(Currencies configured) {
        currencies.fix(configured);
    }

    @Override
    public Snapshot snapshot() {
        return Snapshot.begin(this);
    }

    @Override
    public Restore restore(UUID treasuryId) {
        return Restore.begin(this, treasuryId);
    }

    /** The currency record, for a restore that writes entries below {@link #commit}. */
    CurrencyRows currencyRows() {
        return currencies;
    }

    @Override
    public Map<UUID, Account> loadAccounts(Collection<UUID> ids) {
        Map<UUID, Account> found = new HashMap<>();
        forChunks(
                new ArrayList<>(ids),
                chunk -> query(
                        "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE id IN (" + marks(chunk.size()) + ")",
                        ps -> bindUuids(ps, chunk, 1),
                        rs -> {
                            Account a = Rows.readAccount(dialect, rs);
                            found.put(a.id(), a);
                        }));
        return found;
    }

    @Override
    public Map<BalanceKey, Balance> loadBalances(Collection<BalanceKey> keys) {
        Set<BalanceKey> wanted = new HashSet<>(keys);
        List<UUID> accountIds =
                keys.stream().map(BalanceKey::accountId).distinct().toList();
        Map<BalanceKey, Balance> found = new HashMap<>();
        forChunks(
                accountIds,
                chunk -> query(
                        "SELECT account_id, currency, amount, version FROM balances WHERE account_id IN ("
                                + marks(chunk.size()) + ")",
                        ps -> bindUuids(ps, chunk, 1),
                        rs -> {
                            BalanceKey k = new BalanceKey(dialect.getUuid(rs, 1), rs.getString(2));
                            if (wanted.contains(k)) {
                                found.put(k, new Balance(rs.getLong(3), rs.getLong(4)));
                            }
                        }));
        return found;
    }

    @Override
    public Map<TreasuryKey, Balance> loadTreasuryTotals() {
        Map<TreasuryKey, Balance> totals = new HashMap<>();
        query(
                "SELECT currency, tax_kind, amount, version FROM treasury_totals",
                ps -> {},
                rs -> totals.put(
                        new TreasuryKey(rs.getString(1), TaxKind.valueOf(rs.getString(2))),
                        new Balance(rs.getLong(3), rs.getLong(4))));
        return totals;
    }

    @Override
    public Map<String, Supply> loadSupplies() {
        Map<String, Supply> supply = new LinkedHashMap<>();
        query(
                "SELECT currency, minted, burned, version FROM currency_supply ORDER BY currency",
                ps -> {},
                rs -> supply.put(rs.getString(1), new Supply(rs.getLong(2), rs.getLong(3), rs.getLong(4))));
        return supply;
    }

    @Override
    public Map<String, LedgerEntry> loadEntries(Collection<String> transactionIds) {
        Map<String, LedgerEntry> found = new HashMap<>();
        if (dialect == Dialect.POSTGRES) {
            // The sequencer asks for a whole batch's ids at once: one round trip with an array, not one per chunk.
            // The unpartitioned keys give each id's month, so each entry is read from its own partition only.
            query(
                    Rows.KEYED_ENTRY_SELECT + " WHERE k.transaction_id = ANY (?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", transactionIds.toArray())),
                    rs -> {
                        LedgerEntry e = Rows.readEntry(dialect, rs);
                        found.put(e.transactionId(), e);
                    });
            return found;
        }
        forChunks(
                new ArrayList<>(transactionIds),
                chunk -> query(
                        "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE transaction_id IN ("
                                + marks(chunk.size()) + ")",
                        ps -> bindStrings(ps, chunk),
                        rs -> {
                            LedgerEntry e = Rows.readEntry(dialect, rs);
                            found.put(e.transactionId(), e);
                        }));
        return found;
    }

    @Override
    public Map<String, String> loadReversals(Collection<String> originalTransactionIds) {
        Map<String, String> found = new HashMap<>();
        if (dialect == Dialect.POSTGRES) {
            query(
                    "SELECT reverses_transaction_id, transaction_id FROM ledger_entry_keys "
                            + "WHERE reverses_transaction_id = ANY (?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", originalTransactionIds.toArray())),
                    rs -> found.put(rs.getString(1), rs.getString(2)));
            return found;
        }
        forChunks(
                new ArrayList<>(originalTransactionIds),
                chunk -> query(
                        "SELECT reverses_transaction_id, transaction_id FROM ledger_entries "
                                + "WHERE reverses_transaction_id IN (" + marks(chunk.size()) + ")",
                        ps -> bindStrings(ps, chunk),
                        rs -> found.put(rs.getString(1), rs.getString(2))));
        return found;
    }

    @Override
    public boolean usernameExists(String username) {
        // Served by the index on lower(username) (migration V6); usernames are ASCII, so both databases fold alike.
        return exists("SELECT 1 FROM accounts WHERE lower(username) = lower(?)", username);
    }

    @Override
    public boolean emailExists(String email) {
        return exists("SELECT 1 FROM accounts WHERE lower(email) = lower(?)", email);
    }

    @Override
    public ChainHead loadHead() {
        List<ChainHead> head = new ArrayList<>(1);
        query(
                "SELECT seq, hash FROM chain_head WHERE id = 1",
                ps -> {},
                rs -> head.add(new ChainHead(rs.getLong(1), Hash.of(rs.getBytes(2)))));
        return head.isEmpty() ? ChainHead.GENESIS : head.get(0);
    }

    @Override
    public ReplicationPosition replicationPosition() {
        if (dialect != Dialect.POSTGRES) {
            return ReplicationPosition.headOnly(loadHead().seq());
        }
        // One statement, so the head and the WAL position are read at the same moment.
        List<ReplicationPosition> position = new ArrayList<>(1);
        query(
                "SELECT pg_is_in_recovery(),"
                        + " ((CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)"
                        + " - '0/0'::pg_lsn)::bigint,"
                        + " COALESCE((SELECT seq FROM chain_head WHERE id = 1), 0)",
                ps -> {},
                rs -> {
                    long wal = rs.getLong(2);
                    OptionalLong walBytes = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(wal);
                    position.add(new ReplicationPosition(rs.getBoolean(1), rs.getLong(3), walBytes));
                });
        return position.get(0);
    }

    @Override
    public LedgerControls loadControls() {
        List<LedgerControls> controls = new ArrayList<>(1);
        query(
                "SELECT is_frozen, reason, actor, changed_at, version FROM ledger_controls WHERE id = 1",
                ps -> {},
                rs -> {
                    boolean frozen = rs.getBoolean(1);
                    Optional<String> reason = Optional.ofNullable(rs.getString(2));
                    Optional<String> actor = Optional.ofNullable(rs.getString(3));
                    long changed = rs.getLong(4);
                    Optional<java.time.Instant> changedAt =
                            rs.wasNull() ? Optional.empty() : Optional.of(CanonicalEncoding.fromEpochMicros(changed));
                    controls.add(new LedgerControls(frozen, reason, actor, changedAt, rs.getLong(5)));
                });
        return controls.isEmpty() ? LedgerControls.INITIAL : controls.get(0);
    }

    @Override
    public Optional<Account> findAccount(UUID id) {
        return Optional.ofNullable(loadAccounts(List.of(id)).get(id));
    }

    @Override
    public Map<UUID, dev.tally.core.account.AccountLimits> accountLimits() {
        Map<UUID, dev.tally.core.account.AccountLimits> found = new HashMap<>();
        query(
                "SELECT id, account_limits FROM accounts WHERE account_limits IS NOT NULL",
                ps -> {},
                rs -> found.put(
                        dialect.getUuid(rs, 1),
                        dev.tally.core.account.AccountLimits.parse(Optional.ofNullable(rs.getString(2)))));
        return found;
    }

    @Override
    public Optional<Account> findAccountByUsername(String username) {
        List<Account> found = new ArrayList<>(1);
        query(
                "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE username = ?",
                ps -> ps.setString(1, username),
                rs -> found.add(Rows.readAccount(dialect, rs)));
        return found.stream().findFirst();
    }

    @Override
    public List<Account> listAccounts(AccountQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE 1 = 1");
        q.frozen().ifPresent(f -> sql.append(" AND is_frozen_for_fraud = ?"));
        q.role().ifPresent(r -> sql.append(" AND role = ?"));
        q.after().ifPresent(a -> sql.append(" AND id > ?"));
        sql.append(" ORDER BY id LIMIT ?");
        List<Account> found = new ArrayList<>();
        query(
                sql.toString(),
                ps -> {
                    int i = 1;
                    if (q.frozen().isPresent()) {
                        dialect.setBoolean(ps, i++, q.frozen().get());
                    }
                    if (q.role().isPresent()) {
                        ps.setString(i++, q.role().get().name());
                    }
                    if (q.after().isPresent()) {
                        dialect.setUuid(ps, i++, q.after().get());
                    }
                    ps.setInt(i, q.limit());
                },
                rs -> found.add(Rows.readAccount(dialect, rs)));
        return found;
    }

    @Override
    public Map<String, Long> balancesOf(UUID accountId) {
        Map<String, Long> balances = new LinkedHashMap<>();
        query(
                "SELECT currency, amount FROM balances WHERE account_id = ? ORDER BY currency",
                ps -> dialect.setUuid(ps, 1, accountId),
                rs -> balances.put(rs.getString(1), rs.getLong(2)));
        return balances;
    }

    @Override
    public Optional<LedgerEntry> findEntry(String transactionId) {
        return Optional.ofNullable(loadEntries(List.of(transactionId)).get(transactionId));
    }

    @Override
    public Optional<LedgerEntry> findEntryBySeq(long seq) {
        List<LedgerEntry> found = new ArrayList<>(1);
        query(
                dialect == Dialect.POSTGRES
                        ? Rows.KEYED_ENTRY_SELECT + " WHERE k.seq = ?"
                        : "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq = ?",
                ps -> ps.setLong(1, seq),
                rs -> found.add(Rows.readEntry(dialect, rs)));
        return found.stream().findFirst();
    }

    @Override
    public List<LedgerEntry> history(HistoryQuery q) {
        if (postingsHistory != null) {
            return postingsHistory.history(q);
        }
        String sql = historySql(
                dialect, q.direction(), q.before().isPresent(), q.metadata().isPresent());
        List<LedgerEntry> found = new ArrayList<>();
        query(
                sql,
                ps -> {
                    int i = bindHistoryPart(ps, 1, q);
                    if (q.direction() == HistoryQuery.Direction.ALL) {
                        i = bindHistoryPart(ps, i, q);
                        ps.setInt(i, q.limit());
                    }
                },
                rs -> found.add(Rows.readEntry(dialect, rs)));
        return found;
    }

    /** An account's history, newest first: the SQL {@link #history} runs (its plan is asserted in a test). */
    static String historySql(Dialect dialect, HistoryQuery.Direction direction, boolean keyset, boolean metadata) {
        // On PostgreSQL the upper bound on created_at alone lets the planner skip the monthly partitions after the
        // cursor, and the row comparison is an index condition that keeps each partition's rows in page order.
        String after = !keyset
                ? ""
                : dialect == Dialect.POSTGRES
                        ? " AND created_at <= ? AND (created_at, seq) < (?, ?)"
                        : " AND (created_at < ? OR (created_at = ? AND seq < ?))";
        if (metadata) {
            after = after + metadataFilter(dialect);
        }
        String order = " ORDER BY created_at DESC, seq DESC LIMIT ?";
        String sent = "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE sender_id = ?" + after;
        String received = "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE receiver_id = ?" + after;
        return switch (direction) {
            case SENT -> sent + order;
            case RECEIVED -> received + order;
            case ALL ->
                "SELECT * FROM (" + sent + order + ") s UNION SELECT * FROM (" + received + order + ") r" + order;
        };
    }

    /** Keeps the entries whose canonical metadata, braces turned into commas, contains the bound pattern. */
    static String metadataFilter(Dialect dialect) {
        String find = dialect == Dialect.POSTGRES ? "strpos" : "instr";
        return " AND metadata IS NOT NULL AND " + find
                + "(',' || substr(metadata, 2, length(metadata) - 2) || ',', ?) > 0";
    }

    @Override
    public List<LedgerEntry> openPending(Optional<UUID> account, long afterSeq, int limit) {
        String sql = "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries p WHERE type = 'PENDING' AND seq > ?"
                + (account.isPresent() ? " AND (sender_id = ? OR receiver_id = ?)" : "")
                + " AND NOT EXISTS (SELECT 1 FROM " + settlingKeys()
                + " c WHERE c.reverses_transaction_id = p.transaction_id)"
                + " ORDER BY seq LIMIT ?";
        List<LedgerEntry> found = new ArrayList<>();
        query(
                sql,
                ps -> {
                    int i = 1;
                    ps.setLong(i++, afterSeq);
                    if (account.isPresent()) {
                        dialect.setUuid(ps, i++, account.get());
                        dialect.setUuid(ps, i++, account.get());
                    }
                    ps.setInt(i, limit);
                },
                rs -> found.add(Rows.readEntry(dialect, rs)));
        return found;
    }

    /**
     * Where the entry that settles (or reverses) another is indexed by the id it names: on PostgreSQL the
     * partitioned table cannot carry that unique index, so the unpartitioned keys table does.
     */
    private String settlingKeys() {
        return dialect == Dialect.POSTGRES ? "ledger_entry_keys" : "ledger_entries";
    }

    private int bindHistoryPart(PreparedStatement ps, int start, HistoryQuery q) throws SQLException {
        int i = start;
        dialect.setUuid(ps, i++, q.accountId());
        if (q.before().isPresent()) {
            // Both dialects' keysets take (time, time, seq), in that order.
            ps.setLong(i++, q.before().get().createdAtMicros());
            ps.setLong(i++, q.before().get().createdAtMicros());
            ps.setLong(i++, q.before().get().seq());
        }
        if (q.metadata().isPresent()) {
            ps.setString(i++, q.metadata().get().pattern());
        }
        ps.setInt(i++, q.limit());
        return i;
    }

    @Override
    public BalanceSnapshotStore balanceSnapshots() {
        return balanceSnapshots;
    }

    @Override
    public List<LedgerEntry> accountEntries(UUID accountId, long afterSeq, long toSeq) {
        List<LedgerEntry> found = new ArrayList<>();
        if (toSeq <= afterSeq) {
            return found;
        }
        if (postingsHistory != null) {
            return postingsHistory.accountEntries(accountId, afterSeq, toSeq);
        }
        query(
                accountEntriesSql(),
                ps -> {
                    for (int part = 0; part < 2; part++) {
                        int i = part * 5;
                        dialect.setUuid(ps, i + 1, accountId);
                        ps.setLong(i + 2, afterSeq);
                        ps.setLong(i + 3, toSeq);
                        ps.setLong(i + 4, afterSeq);
                        ps.setLong(i + 5, toSeq);
                    }
                },
                rs -> found.add(Rows.readEntry(dialect, rs)));
        return found;
    }

    /**
     * An account's entries in a seq range: created_at grows with seq, so the times of the range's bounding
     * entries bound an index range of the (sender_id | receiver_id, created_at) indexes, and seq then trims
     * the entries that share those times. Each time is one lookup by seq (the rowid on SQLite, the keys
     * table on PostgreSQL); before the first entry there is no lower bound.
     */
    private String accountEntriesSql() {
        String timeOf = dialect == Dialect.POSTGRES
                ? "(SELECT created_at FROM ledger_entry_keys WHERE seq = ?)"
                : "(SELECT created_at FROM ledger_entries WHERE seq = ?)";
        String part = " FROM ledger_entries WHERE %s = ? AND seq > ? AND seq <= ?" + " AND created_at >= COALESCE("
                + timeOf + ", " + Long.MIN_VALUE + ") AND created_at <= " + timeOf;
        return "SELECT " + Rows.ENTRY_COLUMNS + part.formatted("sender_id") + " UNION SELECT " + Rows.ENTRY_COLUMNS
                + part.formatted("receiver_id") + " ORDER BY seq";
    }

    @Override
    public List<LedgerEntry> openPendingAt(UUID accountId, long seq) {
        String settled = "SELECT 1 FROM " + settlingKeys() + " c WHERE c.reverses_transaction_id = p.transaction_id"
                + " AND c.seq <= ?";
        String sql = "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries p WHERE type = 'PENDING'"
                + " AND %s = ? AND seq <= ? AND NOT EXISTS (" + settled + ")";
        List<LedgerEntry> found = new ArrayList<>();
        query(
                sql.formatted("sender_id") + " UNION " + sql.formatted("receiver_id") + " ORDER BY seq",
                ps -> {
                    for (int part = 0; part < 2; part++) {
                        dialect.setUuid(ps, part * 3 + 1, accountId);
                        ps.setLong(part * 3 + 2, seq);
                        ps.setLong(part * 3 + 3, seq);
                    }
                },
                rs -> found.add(Rows.readEntry(dialect, rs)));
        return found;
    }

    @Override
    public Map<TreasuryKey, Long> treasuryTotals() {
        Map<TreasuryKey, Long> totals = new LinkedHashMap<>();
        loadTreasuryTotals().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        java.util.Comparator.comparing(TreasuryKey::currency).thenComparing(TreasuryKey::kind)))
                .forEach(e -> totals.put(e.getKey(), e.getValue().amount()));
        return totals;
    }

    @Override
    public Map<String, Supply> supplies() {
        return loadSupplies();
    }

    @Override
    public Map<String, Long> circulating() {
        Map<String, Long> sums = new LinkedHashMap<>();
        query(
                "SELECT currency, SUM(amount) FROM balances GROUP BY currency ORDER BY currency",
                ps -> {},
                rs -> sums.put(rs.getString(1), rs.getLong(2)));
        return sums;
    }

    @Override
    public void streamEntries(long fromSeq, long toSeq, EntrySink sink) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
                ps.setFetchSize(10_000);
                ps.setLong(1, fromSeq);
                ps.setLong(2, toSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!sink.accept(Rows.readEntry(dialect, rs))) {
                            break;
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("reading entries failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> readTreeHashes(long[] indexes) {
        Map<Long, byte[]> found = new HashMap<>();
        List<Long> all = new ArrayList<>(indexes.length);
        for (long i : indexes) {
            all.add(i);
        }
        forChunks(
                all,
                chunk -> query(
                        "SELECT idx, hash FROM merkle_hashes WHERE idx IN (" + marks(chunk.size()) + ")",
                        ps -> {
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setLong(i + 1, chunk.get(i));
                            }
                        },
                        rs -> found.put(rs.getLong(1), rs.getBytes(2))));
        List<byte[]> result = new ArrayList<>(indexes.length);
        for (long i : indexes) {
            byte[] h = found.get(i);
            if (h == null) {
                throw new StoreException("Merkle stored hash " + i + " is missing from " + description);
            }
            result.add(h);
        }
        return result;
    }

    @Override
    public void streamBalances(BalanceSink sink) {
        query(
                "SELECT account_id, currency, amount FROM balances",
                ps -> ps.setFetchSize(10_000),
                rs -> sink.accept(dialect.getUuid(rs, 1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new StoreException("closing " + description + " failed", e);
        }
    }

    private boolean exists(String sql, String value) {
        boolean[] found = {false};
        query(sql, ps -> ps.setString(1, value), rs -> found[0] = true);
        return found[0];
    }

    /** Runs a query and hands each row to {@code row}; SQL failures become {@link StoreException}. */
    void query(String sql, Binder binder, RowHandler row) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.handle(rs);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("query failed on " + description + ": " + e.getMessage(), e);
        }
    }

    private void bindUuids(PreparedStatement ps, List<UUID> ids, int start) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            dialect.setUuid(ps, start + i, ids.get(i));
        }
    }

    private static void bindStrings(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }

    private static <T> void forChunks(List<T> all, java.util.function.Consumer<List<T>> action) {
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            action.accept(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Handles one row. */
    @FunctionalInterface
    interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }
}
