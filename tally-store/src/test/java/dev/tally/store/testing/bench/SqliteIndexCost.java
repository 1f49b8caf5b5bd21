package dev.tally.store.testing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What SQLite itself can write on this machine with the ledger's schema, without Tally: pre-built rows
 * inserted in transactions of 4,096 (with the balance updates and the chain-head move of a batch), WAL mode,
 * {@code synchronous=FULL}, as the store is configured. Run it three ways to see where the write path's time
 * goes: with every index of the seed, with only the indexes whose keys grow with time, and with none.
 *
 * <pre>
 * java -cp tally-bench/target/tally-bench.jar dev.tally.store.testing.bench.SqliteIndexCost [rows] [all|sequential|none] [dir]
 * </pre>
 *
 * <p>It prints rows per second for every 200,000 rows and overall, and the bytes the process wrote per row
 * ({@code /proc/self/io}, Linux). Not a JMH benchmark: it measures the disk as much as the CPU, once.
 */
public final class SqliteIndexCost {
    private static final int BATCH = 4096;
    private static final int ACCOUNTS = 10_000;
    private static final List<String> RANDOM_KEYED = List.of(
            "ledger_transaction_id_uq",
            "ledger_sender_created_idx",
            "ledger_receiver_created_idx",
            "ledger_current_hash_uq");

    private SqliteIndexCost() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String indexes = args.length > 1 ? args[1] : "all";
        Path dir = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of("."), "sqlite-index-cost-");
        Path file = dir.resolve("ledger.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            schema(c, indexes);
            run(c, rows, indexes);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void schema(Connection c, String indexes) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA cache_size=-262144");
            st.execute(
                    "CREATE TABLE balances (account_id TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL, "
                            + "version INTEGER NOT NULL, PRIMARY KEY (account_id, currency)) WITHOUT ROWID");
            st.execute(
                    "CREATE TABLE ledger_entries (seq INTEGER PRIMARY KEY, transaction_id TEXT NOT NULL, type TEXT NOT NULL, "
                            + "status TEXT NOT NULL, sender_id TEXT, receiver_id TEXT, currency TEXT NOT NULL, amount_gross INTEGER NOT NULL, "
                            + "tax_withheld INTEGER NOT NULL, amount_net INTEGER NOT NULL, tax_kind TEXT NOT NULL, created_at INTEGER NOT NULL, "
                            + "actor TEXT, ip_address TEXT, user_agent TEXT, reverses_transaction_id TEXT, previous_hash BLOB NOT NULL, "
                            + "current_hash BLOB NOT NULL)");
            st.execute(
                    "CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL, version INTEGER NOT NULL)");
            st.execute("INSERT INTO chain_head VALUES (1, 0, zeroblob(32), 1)");
            Map<String, String> all = new java.util.LinkedHashMap<>();
            all.put(
                    "ledger_transaction_id_uq",
                    "CREATE UNIQUE INDEX ledger_transaction_id_uq ON ledger_entries (transaction_id)");
            all.put(
                    "ledger_sender_created_idx",
                    "CREATE INDEX ledger_sender_created_idx ON ledger_entries (sender_id, created_at DESC)");
            all.put(
                    "ledger_receiver_created_idx",
                    "CREATE INDEX ledger_receiver_created_idx ON ledger_entries (receiver_id, created_at DESC)");
            all.put(
                    "ledger_currency_type_idx",
                    "CREATE INDEX ledger_currency_type_idx ON ledger_entries (currency, type)");
            all.put("ledger_created_idx", "CREATE INDEX ledger_created_idx ON ledger_entries (created_at DESC)");
            all.put(
                    "ledger_current_hash_uq",
                    "CREATE UNIQUE INDEX ledger_current_hash_uq ON ledger_entries (current_hash)");
            all.put("ledger_status_idx", "CREATE INDEX ledger_status_idx ON ledger_entries (status)");
            all.put(
                    "ledger_type_created_idx",
                    "CREATE INDEX ledger_type_created_idx ON ledger_entries (type, created_at)");
            all.put(
                    "ledger_reverses_uq",
                    "CREATE UNIQUE INDEX ledger_reverses_uq ON ledger_entries (reverses_transaction_id) "
                            + "WHERE reverses_transaction_id IS NOT NULL");
            for (Map.Entry<String, String> index : all.entrySet()) {
                boolean wanted = switch (indexes) {
                    case "all" -> true;
                    case "sequential" -> !RANDOM_KEYED.contains(index.getKey());
                    case "none" -> false;
                    default -> throw new IllegalArgumentException("indexes must be all, sequential or none");
                };
                if (wanted) {
                    st.execute(index.getValue());
                }
            }
        }
    }

    private static void run(Connection c, int rows, String indexes) throws Exception {
        Random random = new Random(1);
        String[] accounts = new String[ACCOUNTS];
        long[] versions = new long[ACCOUNTS];
        c.setAutoCommit(false);
        try (PreparedStatement open = c.prepareStatement("INSERT INTO balances VALUES (?, 'EUR', 1000000000, 1)")) {
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts[i] = new UUID(random.nextLong(), random.nextLong()).toString();
                versions[i] = 1;
                open.setString(1, accounts[i]);
                open.executeUpdate();
            }
        }
        c.commit();
        long micros = System.currentTimeMillis() * 1000;
        byte[] previous = new byte[32];
        long written0 = writtenBytes();
        long start = System.nanoTime();
        long segment = start;
        try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO ledger_entries (seq, transaction_id, type, status, sender_id, receiver_id, currency, amount_gross, tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, reverses_transaction_id, previous_hash, current_hash) VALUES (?, ?, 'TRANSFER', 'COMPLETED', ?, ?, "
                                + "'EUR', ?, ?, ?, 'TRANSFER_TAX', ?, 'api-key-1', '192.168.1.100', 'Mozilla/5.0 (X11; Linux x86_64)', NULL, ?, ?)");
                PreparedStatement balance =
                        c.prepareStatement("UPDATE balances SET amount = amount + ?, version = version + 1 "
                                + "WHERE account_id = ? AND currency = 'EUR' AND version = ?");
                PreparedStatement head = c.prepareStatement(
                        "UPDATE chain_head SET seq = ?, hash = ?, version = version + 1 WHERE id = 1")) {
            for (long seq = 1; seq <= rows; ) {
                Map<Integer, Long> deltas = new HashMap<>();
                for (int i = 0; i < BATCH && seq <= rows; i++, seq++) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = random.nextInt(ACCOUNTS);
                    byte[] hash = new byte[32];
                    random.nextBytes(hash);
                    insert.setLong(1, seq);
                    insert.setString(2, new UUID(random.nextLong(), random.nextLong()).toString());
                    insert.setString(3, accounts[from]);
                    insert.setString(4, accounts[to]);
                    insert.setLong(5, 1234);
                    insert.setLong(6, 12);
                    insert.setLong(7, 1222);
                    insert.setLong(8, micros + seq);
                    insert.setBytes(9, previous);
                    insert.setBytes(10, hash);
                    insert.addBatch();
                    previous = hash;
                    deltas.merge(from, -1234L, Long::sum);
                    deltas.merge(to, 1222L, Long::sum);
                }
                insert.executeBatch();
                for (Map.Entry<Integer, Long> d : deltas.entrySet()) {
                    balance.setLong(1, d.getValue());
                    balance.setString(2, accounts[d.getKey()]);
                    balance.setLong(3, versions[d.getKey()]++);
                    balance.addBatch();
                }
                balance.executeBatch();
                head.setLong(1, seq - 1);
                head.setBytes(2, previous);
                head.executeUpdate();
                c.commit();
                if ((seq - 1) % 200_000 < BATCH) {
                    long now = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "  %,9d rows: %,7.0f rows/s in the last 200,000%n",
                            seq - 1,
                            200_000 / ((now - segment) / 1e9));
                    segment = now;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long written = writtenBytes() - written0;
        System.out.printf(
                Locale.ROOT,
                "indexes=%s: %,d rows in %.1f s = %,.0f rows/s; %,.1f KiB written per row%n",
                indexes,
                rows,
                seconds,
                rows / seconds,
                written / 1024.0 / rows);
    }

    /** Bytes this process caused to be written (Linux), or 0 elsewhere. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(
                            line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
