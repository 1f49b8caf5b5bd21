package dev.tally.store.jdbc;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryStatus;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Maps entries and accounts to and from rows, with the column order of the SQL constants here. Public only
 * for {@link #insertEntry}: the bench's seed-style baseline writes its entries with the store's own mapping.
 */
public final class Rows {
    static final String ENTRY_COLUMNS = "seq, transaction_id, type, status, sender_id, receiver_id, currency, "
            + "amount_gross, tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, "
            + "reverses_transaction_id, previous_hash, current_hash";
    static final String INSERT_ENTRY = "INSERT INTO ledger_entries (" + ENTRY_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * PostgreSQL: a whole batch of entries in one statement, one array per column. One statement instead of
     * one per 128 rows means one plan and one executor run for the batch; the rows are the same.
     */
    static final String INSERT_ENTRIES_UNNEST = "INSERT INTO ledger_entries (" + ENTRY_COLUMNS + ") SELECT * FROM unnest("
            + "?::bigint[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::bigint[], ?::bigint[], "
            + "?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bytea[])";
    static final String ACCOUNT_COLUMNS = "id, username, email, role, is_frozen_for_fraud, frozen_reason, frozen_at, "
            + "created_at, updated_at, version";

    private Rows() {
    }

    /** Inserts one entry row, outside any store logic (no chain head, no balances): for the bench's baseline. */
    public static void insertEntry(Connection c, Dialect d, LedgerEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ENTRY)) {
            bindEntry(d, ps, e);
            ps.executeUpdate();
        }
    }

    static void bindEntry(Dialect d, PreparedStatement ps, LedgerEntry e) throws SQLException {
        ps.setLong(1, e.seq());
        ps.setString(2, e.transactionId());
        ps.setString(3, e.type().name());
        ps.setString(4, e.status().name());
        d.setOptionalUuid(ps, 5, e.senderId());
        d.setOptionalUuid(ps, 6, e.receiverId());
        ps.setString(7, e.currency());
        ps.setLong(8, e.amountGross());
        ps.setLong(9, e.taxWithheld());
        ps.setLong(10, e.amountNet());
        ps.setString(11, e.taxKind().name());
        ps.setLong(12, CanonicalEncoding.epochMicros(e.createdAt()));
        setOptional(ps, 13, e.actor());
        setOptional(ps, 14, e.ipAddress());
        setOptional(ps, 15, e.userAgent());
        setOptional(ps, 16, e.reverses());
        ps.setBytes(17, e.previousHash().bytes());
        ps.setBytes(18, e.currentHash().bytes());
    }

    /** Binds the column arrays of {@link #INSERT_ENTRIES_UNNEST}, in the column order of {@link #bindEntry}. */
    static void bindEntryArrays(Connection c, PreparedStatement ps, List<LedgerEntry> entries) throws SQLException {
        int n = entries.size();
        Long[] seq = new Long[n];
        String[] txId = new String[n];
        String[] type = new String[n];
        String[] status = new String[n];
        UUID[] sender = new UUID[n];
        UUID[] receiver = new UUID[n];
        String[] currency = new String[n];
        Long[] gross = new Long[n];
        Long[] tax = new Long[n];
        Long[] net = new Long[n];
        String[] taxKind = new String[n];
        Long[] createdAt = new Long[n];
        String[] actor = new String[n];
        String[] ip = new String[n];
        String[] agent = new String[n];
        String[] reverses = new String[n];
        byte[][] previous = new byte[n][];
        byte[][] current = new byte[n][];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            seq[i] = e.seq();
            txId[i] = e.transactionId();
            type[i] = e.type().name();
            status[i] = e.status().name();
            sender[i] = e.senderId().orElse(null);
            receiver[i] = e.receiverId().orElse(null);
            currency[i] = e.currency();
            gross[i] = e.amountGross();
            tax[i] = e.taxWithheld();
            net[i] = e.amountNet();
            taxKind[i] = e.taxKind().name();
            createdAt[i] = CanonicalEncoding.epochMicros(e.createdAt());
            actor[i] = e.actor().orElse(null);
            ip[i] = e.ipAddress().orElse(null);
            agent[i] = e.userAgent().orElse(null);
            reverses[i] = e.reverses().orElse(null);
            previous[i] = e.previousHash().bytes();
            current[i] = e.currentHash().bytes();
        }
        Object[][] columns = {seq, txId, type, status, sender, receiver, currency, gross, tax, net, taxKind, createdAt,
            actor, ip, agent, reverses, previous, current};
        String[] types = {"int8", "text", "text", "text", "uuid", "uuid", "text", "int8", "int8", "int8", "text", "int8",
            "text", "text", "text", "text", "bytea", "bytea"};
        for (int col = 0; col < columns.length; col++) {
            ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
        }
    }

    /**
     * Reads an entry as stored, without checking it: the verifier must see tampered rows as they are.
     * Values a tamperer could make unreadable (an unknown type name, a short hash) throw
     * {@link MalformedRowException} so the verifier can report them.
     */
    static LedgerEntry readEntry(Dialect d, ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        try {
            return new LedgerEntry(seq, rs.getString(2), EntryType.valueOf(rs.getString(3)),
                    EntryStatus.valueOf(rs.getString(4)), d.getOptionalUuid(rs, 5),
                    d.getOptionalUuid(rs, 6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                    TaxKind.valueOf(rs.getString(11)), CanonicalEncoding.fromEpochMicros(rs.getLong(12)),
                    Optional.ofNullable(rs.getString(13)), Optional.ofNullable(rs.getString(14)),
                    Optional.ofNullable(rs.getString(15)), Optional.ofNullable(rs.getString(16)),
                    Hash.of(rs.getBytes(17)), Hash.of(rs.getBytes(18)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRowException(seq, rs.getString(2), String.valueOf(e.getMessage()));
        }
    }

    static void bindAccountInsert(Dialect d, PreparedStatement ps, Account a) throws SQLException {
        d.setUuid(ps, 1, a.id());
        ps.setString(2, a.username());
        ps.setString(3, a.email());
        ps.setString(4, a.role().name());
        d.setBoolean(ps, 5, a.frozenForFraud());
        setOptional(ps, 6, a.frozenReason());
        setOptionalTime(ps, 7, a.frozenAt());
        ps.setLong(8, CanonicalEncoding.epochMicros(a.createdAt()));
        ps.setLong(9, CanonicalEncoding.epochMicros(a.updatedAt()));
        ps.setLong(10, a.version());
    }

    static Account readAccount(Dialect d, ResultSet rs) throws SQLException {
        long frozenAt = rs.getLong(7);
        Optional<Instant> frozenAtValue = rs.wasNull() ? Optional.empty() : Optional.of(CanonicalEncoding.fromEpochMicros(frozenAt));
        return new Account(d.getUuid(rs, 1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4)),
                rs.getBoolean(5), Optional.ofNullable(rs.getString(6)), frozenAtValue,
                CanonicalEncoding.fromEpochMicros(rs.getLong(8)), CanonicalEncoding.fromEpochMicros(rs.getLong(9)), rs.getLong(10));
    }

    static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    static void setOptionalTime(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, CanonicalEncoding.epochMicros(value.get()));
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}
