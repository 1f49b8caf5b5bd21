package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.fraud.Finding;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migration V20 (the hold action) on a ledger at V18, the last version released before it, that already holds
 * fraud events: on SQLite it rebuilds the
 * table to change its CHECK, on PostgreSQL it alters the constraint; either way every event is kept as it
 * was, ids go on from where they were, and a {@code hold} event naming its pending transfer can be stored.
 */
class FraudHoldMigrationTest {
    private static final UUID ACCOUNT = UUID.fromString("0190a1b2-0000-7000-8000-000000000001");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void existingFraudEventsSurviveTheMigrationUnchanged(StoreKind kind) {
        String location = ledgerAtV18WithTwoEvents(kind);

        try (JdbcLedgerStore store = (JdbcLedgerStore) Stores.open(location)) {
            List<FraudEvent> events = store.fraudEvents().list(Optional.empty(), 0, 10);

            assertThat(events).hasSize(2);
            assertThat(events.get(0)).satisfies(e -> {
                assertThat(e.id()).isEqualTo(7);
                assertThat(e.rule()).isEqualTo("pass_through");
                assertThat(e.account()).isEqualTo(ACCOUNT);
                assertThat(e.transactionIds()).containsExactly("a", "b");
                assertThat(e.figures()).isEqualTo("received 10, sent 9");
                assertThat(e.action()).isEqualTo(FraudAction.FLAG);
                assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
                assertThat(e.status()).isEqualTo(FraudEvent.Status.OPEN);
                assertThat(e.resolvedBy()).isEmpty();
                assertThat(e.pendingTransactionId()).isEmpty();
            });
            assertThat(events.get(1)).satisfies(e -> {
                assertThat(e.id()).isEqualTo(8);
                assertThat(e.action()).isEqualTo(FraudAction.FREEZE);
                assertThat(e.status()).isEqualTo(FraudEvent.Status.CONFIRMED);
                assertThat(e.resolvedBy()).contains("admin");
                assertThat(e.resolvedAt()).contains(Instant.parse("2026-03-01T13:00:00Z"));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldEventIsStoredAfterTheMigrationWithTheNextId(StoreKind kind) throws SQLException {
        String location = ledgerAtV18WithTwoEvents(kind);

        try (JdbcLedgerStore store = (JdbcLedgerStore) Stores.open(location)) {
            Finding hold = new Finding("velocity_count", FraudAction.HOLD, ACCOUNT, List.of("t9"), "2 payments");
            try (Connection c = store.dataSource().getConnection()) {
                JdbcFraudEvents.insert(c, List.of(FraudEvent.held(hold, Instant.parse("2026-03-02T00:00:00Z"), "t9")));
            }

            assertThat(store.fraudEvents().holding("t9")).singleElement().satisfies(e -> {
                assertThat(e.id()).isEqualTo(9);
                assertThat(e.action()).isEqualTo(FraudAction.HOLD);
                assertThat(e.pendingTransactionId()).contains("t9");
            });
        }
    }

    /**
     * A new ledger migrated only up to V18 (the last version released before V19 and V20), holding two fraud
     * events with ids 7 and 8: opening it applies the later migrations, which Flyway allows only above V18.
     */
    private static String ledgerAtV18WithTwoEvents(StoreKind kind) {
        String location = kind.freshLocation();
        String url = kind == StoreKind.SQLITE ? "jdbc:sqlite:" + location : location;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations((kind == StoreKind.SQLITE ? Dialect.SQLITE : Dialect.POSTGRES).migrationLocation())
                .table("tally_schema_history")
                .target("18")
                .load()
                .migrate();
        // GENERATED ALWAYS (PostgreSQL) takes an explicit id only when told to.
        String insert = "INSERT INTO fraud_events (id, rule, account_id, transaction_ids, figures, action, created_at,"
                + " status, resolved_by, resolved_at) " + (kind == StoreKind.POSTGRES ? "OVERRIDING SYSTEM VALUE " : "")
                + "VALUES ";
        StoreSql.executeAt(
                url,
                insert + "(7, 'pass_through', '" + ACCOUNT + "', 'a\nb', 'received 10, sent 9', 'flag', "
                        + micros("2026-03-01T12:00:00Z") + ", 'open', NULL, NULL)",
                insert + "(8, 'velocity_count', '" + ACCOUNT + "', 'c', '2 payments', 'freeze', "
                        + micros("2026-03-01T12:30:00Z") + ", 'confirmed', 'admin', "
                        + micros("2026-03-01T13:00:00Z") + ")");
        if (kind == StoreKind.POSTGRES) {
            // An identity column's sequence does not follow explicit ids: move it on as real inserts would have.
            StoreSql.executeAt(url, "SELECT setval(pg_get_serial_sequence('fraud_events', 'id'), 8)");
        }
        return location;
    }

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }
}
