package dev.tally.store.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: several parameterised statements sent to the server in one round trip, run there in the order
 * they were added, each with a check of the rows it changed. The driver sends a prepared statement whose text
 * holds several statements as one message sequence with a single sync, so a batch's writes wait for the
 * network once instead of once per statement; an error in one skips the rest, and the caller rolls the
 * transaction back as before.
 */
final class StatementChain {
    /** Binds one statement's parameters, the first at {@code first}. */
    @FunctionalInterface
    interface Binder {
        void bind(Connection c, PreparedStatement ps, int first) throws SQLException;
    }

    /** Checks the number of rows one statement changed; throws to fail the batch. */
    @FunctionalInterface
    interface RowCheck {
        void check(int rows);

        /** Any count: an insert whose failures are errors, not counts. */
        RowCheck ANY = rows -> {};
    }

    private record Link(String sql, int parameters, Binder binder, RowCheck check) {}

    private final List<Link> links = new ArrayList<>();

    /** Adds a statement, its parameters bound by {@code binder}, the rows it changed checked by {@code check}. */
    StatementChain add(String sql, Binder binder, RowCheck check) {
        links.add(new Link(sql, placeholders(sql), binder, check));
        return this;
    }

    boolean isEmpty() {
        return links.isEmpty();
    }

    /** Sends every statement added, in order, in one round trip, then checks each one's count in order. */
    void execute(Connection c) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder();
        for (Link link : links) {
            if (!sql.isEmpty()) {
                sql.append(";\n");
            }
            sql.append(link.sql());
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int first = 1;
            for (Link link : links) {
                link.binder().bind(c, ps, first);
                first += link.parameters();
            }
            ps.execute();
            for (int i = 0; i < links.size(); i++) {
                if (i > 0) {
                    ps.getMoreResults();
                }
                links.get(i).check().check(ps.getUpdateCount());
            }
        }
    }

    /** The number of {@code ?} placeholders in {@code sql}; Tally's statements hold no other question mark. */
    private static int placeholders(String sql) {
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }
}
