package dev.tally.store.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every row of every Tally table as text, in a stable order: two equal dumps mean the store is unchanged,
 * which is how rejection tests prove that "nothing was written".
 */
public final class DatabaseDump {
    private DatabaseDump() {}

    public static String of(DataSource ds) {
        StringBuilder out = new StringBuilder();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            for (String table : tablesPresent(c)) {
                out.append("## ").append(table).append('\n');
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            row.append(md.getColumnName(i))
                                    .append('=')
                                    .append(v instanceof byte[] b ? Arrays.toString(b) : v)
                                    .append(';');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                rows.forEach(r -> out.append(r).append('\n'));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Every user table but Flyway's history, sorted by name. */
    private static List<String> tablesPresent(Connection c) throws SQLException {
        List<String> present = new ArrayList<>();
        String schema = c.getMetaData()
                        .getDatabaseProductName()
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("postgres")
                ? "public"
                : null;
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.startsWith("tally_schema_history") && !name.startsWith("sqlite_")) {
                    present.add(name);
                }
            }
        }
        present.sort(null);
        return present;
    }
}
