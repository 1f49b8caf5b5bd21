package dev.tally.store.internal.jdbc;

import dev.tally.core.engine.Balance;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.BalanceSnapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * PostgreSQL: one {@link WriteSet} in the caller's transaction, every row of a kind in one set-based statement
 * over arrays, and the statements of a batch sent in one round trip ({@link StatementChain}). Each statement
 * is a network round trip when sent alone; at ordinary load a batch holds a few entries, and those round trips
 * were most of a commit's time outside the fsync. The order and every version check are those of
 * {@link BatchWriter}: the chain head moves first (taking its row lock), and a statement that changed fewer
 * rows than the batch expected fails the batch with a {@link VersionConflictException}.
 */
final class PostgresBatch {
    private static final String INSERT_BALANCES = "INSERT INTO balances (account_id, currency, amount, version) "
            + "SELECT a, c, m, 1 FROM unnest(?::uuid[], ?::text[], ?::bigint[]) AS v(a, c, m)";
    private static final String UPDATE_BALANCES = "UPDATE balances AS b SET amount = v.m, version = b.version + 1 "
            + "FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[]) AS v(a, c, m, r) "
            + "WHERE b.account_id = v.a AND b.currency = v.c AND b.version = v.r";
    private static final String INSERT_TREE_HASHES =
            "INSERT INTO merkle_hashes (idx, hash) SELECT * FROM unnest(?::bigint[], ?::bytea[])";
    private static final String INSERT_SNAPSHOTS = "INSERT INTO balance_snapshots (account_id, currency, seq, amount,"
            + " opening) SELECT * FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[], ?::boolean[])"
            + " ON CONFLICT (account_id, currency, seq) DO NOTHING";

    private final BatchWriter rowByRow;

    PostgresBatch(BatchWriter rowByRow) {
        this.rowByRow = rowByRow;
    }

    void write(Connection c, WriteSet batch) throws SQLException {
        StatementChain chain = new StatementChain();
        if (!batch.entries().isEmpty()) {
            moveHead(chain, batch);
        }
        if (batch.controls().isPresent() || !batch.accounts().isEmpty()) {
            // Rare (an account opened or changed, the ledger frozen): row by row, after the head and before
            // the entries that may name the accounts, as in BatchWriter.
            chain.execute(c);
            chain = new StatementChain();
            if (batch.controls().isPresent()) {
                rowByRow.writeControls(c, batch.controls().get());
            }
            rowByRow.writeAccounts(c, batch.accounts());
        }
        insertEntries(chain, batch.entries());
        writeBalances(chain, batch.balances());
        writeTotals(chain, batch.treasuryTotals());
        writeSupply(chain, batch.supply());
        if (batch.treeHashes().isPresent()) {
            insertTreeHashes(chain, batch.treeHashes().get());
        }
        insertSnapshots(chain, batch.balanceSnapshots());
        chain.execute(c);
        JdbcFraudEvents.insert(c, batch.fraudEvents());
    }

    private static void moveHead(StatementChain chain, WriteSet batch) {
        chain.add(
                BatchWriter.MOVE_HEAD,
                (c, ps, first) -> {
                    ps.setLong(first, batch.toHead().seq());
                    ps.setBytes(first + 1, batch.toHead().hash().bytes());
                    ps.setLong(first + 2, batch.fromHead().seq());
                    ps.setBytes(first + 3, batch.fromHead().hash().bytes());
                },
                rows -> {
                    if (rows != 1) {
                        throw new VersionConflictException("the chain head moved past seq "
                                + batch.fromHead().seq() + ": another writer appended");
                    }
                });
    }

    /** The keys first: a transaction id already taken in any month fails there, before the larger insert. */
    private static void insertEntries(StatementChain chain, List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        chain.add(
                Rows.INSERT_KEYS_UNNEST,
                (c, ps, first) -> Rows.bindKeyArrays(c, ps, first, entries),
                StatementChain.RowCheck.ANY);
        chain.add(
                Rows.INSERT_ENTRIES_UNNEST,
                (c, ps, first) -> Rows.bindEntryArrays(c, ps, first, entries),
                StatementChain.RowCheck.ANY);
    }

    /**
     * Every balance of the batch in two statements. The update matches a row only at the version the batch
     * read, so fewer updated rows than asked means another writer moved one: a conflict.
     */
    private static void writeBalances(StatementChain chain, Map<BalanceKey, Balance> balances) {
        List<Map.Entry<BalanceKey, Balance>> inserts = new ArrayList<>();
        List<Map.Entry<BalanceKey, Balance>> updates = new ArrayList<>(balances.size());
        for (Map.Entry<BalanceKey, Balance> e : balances.entrySet()) {
            (e.getValue().version() == 0 ? inserts : updates).add(e);
        }
        if (!inserts.isEmpty()) {
            chain.add(
                    INSERT_BALANCES,
                    (c, ps, first) -> bindBalances(c, ps, first, inserts, false),
                    StatementChain.RowCheck.ANY);
        }
        if (!updates.isEmpty()) {
            chain.add(UPDATE_BALANCES, (c, ps, first) -> bindBalances(c, ps, first, updates, true), rows -> {
                if (rows != updates.size()) {
                    throw new VersionConflictException(
                            (updates.size() - rows) + " of " + updates.size() + " balances changed concurrently");
                }
            });
        }
    }

    private static void bindBalances(
            Connection c,
            java.sql.PreparedStatement ps,
            int first,
            List<Map.Entry<BalanceKey, Balance>> rows,
            boolean withVersion)
            throws SQLException {
        int n = rows.size();
        UUID[] accounts = new UUID[n];
        String[] currencies = new String[n];
        Long[] amounts = new Long[n];
        Long[] versions = new Long[n];
        for (int i = 0; i < n; i++) {
            Map.Entry<BalanceKey, Balance> e = rows.get(i);
            accounts[i] = e.getKey().accountId();
            currencies[i] = e.getKey().currency();
            amounts[i] = e.getValue().amount();
            versions[i] = e.getValue().version();
        }
        ps.setArray(first, c.createArrayOf("uuid", accounts));
        ps.setArray(first + 1, c.createArrayOf("text", currencies));
        ps.setArray(first + 2, c.createArrayOf("int8", amounts));
        if (withVersion) {
            ps.setArray(first + 3, c.createArrayOf("int8", versions));
        }
    }

    /** A handful of rows at most (a currency's tax kinds): one statement each, each version-checked. */
    private static void writeTotals(StatementChain chain, Map<TreasuryKey, Balance> totals) {
        for (Map.Entry<TreasuryKey, Balance> e : totals.entrySet()) {
            TreasuryKey k = e.getKey();
            Balance b = e.getValue();
            StatementChain.RowCheck one = rows -> {
                if (rows != 1) {
                    throw new VersionConflictException("treasury total " + k + " changed concurrently");
                }
            };
            if (b.version() == 0) {
                chain.add(
                        BatchWriter.INSERT_TOTAL,
                        (c, ps, first) -> {
                            ps.setString(first, k.currency());
                            ps.setString(first + 1, k.kind().name());
                            ps.setLong(first + 2, b.amount());
                        },
                        one);
            } else {
                chain.add(
                        BatchWriter.UPDATE_TOTAL,
                        (c, ps, first) -> {
                            ps.setLong(first, b.amount());
                            ps.setString(first + 1, k.currency());
                            ps.setString(first + 2, k.kind().name());
                            ps.setLong(first + 3, b.version());
                        },
                        one);
            }
        }
    }

    private static void writeSupply(StatementChain chain, Map<String, Supply> supply) {
        for (Map.Entry<String, Supply> e : supply.entrySet()) {
            String currency = e.getKey();
            Supply s = e.getValue();
            StatementChain.RowCheck one = rows -> {
                if (rows != 1) {
                    throw new VersionConflictException("supply of " + currency + " changed concurrently");
                }
            };
            if (s.version() == 0) {
                chain.add(
                        BatchWriter.INSERT_SUPPLY,
                        (c, ps, first) -> {
                            ps.setString(first, currency);
                            ps.setLong(first + 1, s.minted());
                            ps.setLong(first + 2, s.burned());
                        },
                        one);
            } else {
                chain.add(
                        BatchWriter.UPDATE_SUPPLY,
                        (c, ps, first) -> {
                            ps.setLong(first, s.minted());
                            ps.setLong(first + 1, s.burned());
                            ps.setString(first + 2, currency);
                            ps.setLong(first + 3, s.version());
                        },
                        one);
            }
        }
    }

    private static void insertTreeHashes(StatementChain chain, WriteSet.TreeHashes tree) {
        chain.add(
                INSERT_TREE_HASHES,
                (c, ps, first) -> {
                    int n = tree.hashes().size();
                    Long[] indexes = new Long[n];
                    for (int i = 0; i < n; i++) {
                        indexes[i] = tree.firstIndex() + i;
                    }
                    ps.setArray(first, c.createArrayOf("int8", indexes));
                    ps.setArray(
                            first + 1, c.createArrayOf("bytea", tree.hashes().toArray(new byte[0][])));
                },
                StatementChain.RowCheck.ANY);
    }

    /** About 2 rows per 64 entries; a snapshot already there (a batch decided again) is kept. */
    private static void insertSnapshots(StatementChain chain, List<BalanceSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return;
        }
        chain.add(
                INSERT_SNAPSHOTS,
                (c, ps, first) -> {
                    int n = snapshots.size();
                    UUID[] accounts = new UUID[n];
                    String[] currencies = new String[n];
                    Long[] seqs = new Long[n];
                    Long[] amounts = new Long[n];
                    Boolean[] openings = new Boolean[n];
                    for (int i = 0; i < n; i++) {
                        BalanceSnapshot s = snapshots.get(i);
                        accounts[i] = s.accountId();
                        currencies[i] = s.currency();
                        seqs[i] = s.seq();
                        amounts[i] = s.amount();
                        openings[i] = s.opening();
                    }
                    ps.setArray(first, c.createArrayOf("uuid", accounts));
                    ps.setArray(first + 1, c.createArrayOf("text", currencies));
                    ps.setArray(first + 2, c.createArrayOf("int8", seqs));
                    ps.setArray(first + 3, c.createArrayOf("int8", amounts));
                    ps.setArray(first + 4, c.createArrayOf("bool", openings));
                },
                StatementChain.RowCheck.ANY);
    }
}
