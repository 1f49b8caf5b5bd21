package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.Link;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.Hash;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fast scanner reads in slices of rows; its findings must not depend on where a slice ends. */
class ChainScannerTest {
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void findingsDoNotDependOnTheSliceSize(StoreKind kind) {
        try (JdbcLedgerStore store = fresh(kind)) {
            UUID alice = openAlice(store);
            for (int i = 1; i <= 40; i++) {
                mint(store, "m" + i, alice, i + ".00", EntryContext.actor("admin"));
            }
            sql(
                    store,
                    "UPDATE ledger_entries SET current_hash = ? WHERE seq = 7",
                    Hash.ofHex("11".repeat(32)).bytes());
            sql(store, "DELETE FROM ledger_entries WHERE seq = 14");
            sql(store, "UPDATE ledger_entries SET amount_gross = 1, amount_net = 1 WHERE seq = 21");
            sql(store, "UPDATE ledger_entries SET type = 'GIFT' WHERE seq = 28");

            List<Finding> reference = scan(new ChainScanner(store), 1, 40);
            for (int slice : new int[] {1, 2, 6, 7, 13, 39, 40}) {
                assertThat(scan(new ChainScanner(store, slice), 1, 40))
                        .as("slices of %d rows", slice)
                        .isEqualTo(reference);
            }
            assertThat(reference)
                    .extracting(f -> f.type() + "@" + f.seq().orElse(-1))
                    .containsExactly(
                            "TRANSACTION_TAMPERED@7",
                            "HASH_CHAIN_BROKEN@8",
                            "MISSING_TRANSACTION@14",
                            "HASH_CHAIN_BROKEN@15",
                            "TRANSACTION_TAMPERED@21",
                            "INVALID_ENTRY@28");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRowForgedAtTheFarEndOfTheRangeIsReadWithoutWalkingThePositionsBetween(StoreKind kind) {
        try (JdbcLedgerStore store = fresh(kind)) {
            UUID alice = openAlice(store);
            mint(store, "m1", alice, "1.00", EntryContext.actor("admin"));
            sql(
                    store,
                    "INSERT INTO ledger_entries (" + V1_COLUMNS + ") SELECT " + Long.MIN_VALUE
                            + ", 'forged', type, status, sender_id, receiver_id, currency, "
                            + "amount_gross, tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, "
                            + "reverses_transaction_id, previous_hash, previous_hash FROM ledger_entries WHERE seq = 1");

            List<Finding> findings = scan(new ChainScanner(store, 2), Long.MIN_VALUE, 1);

            assertThat(findings)
                    .extracting(f -> f.type() + "@" + f.seq().orElse(-1))
                    .containsExactly("DUPLICATE_TRANSACTION@" + Long.MIN_VALUE);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rowsTheFastWayCannotTakeApartAreCheckedInFull(StoreKind kind) {
        try (JdbcLedgerStore store = fresh(kind)) {
            UUID alice = openAlice(store);
            // Legitimate but unusual: non-ASCII text (SQLite's scan checks it decodes back), an empty actor.
            mint(
                    store,
                    "m1",
                    alice,
                    "1.00",
                    new EntryContext(
                            java.util.Optional.of(""),
                            java.util.Optional.of("::1"),
                            java.util.Optional.of("Mözilla/5.0 (Ünïcode) 漢字")));
            mint(store, "m2", alice, "2.00", EntryContext.actor("admin"));
            mint(store, "m3", alice, "3.00", EntryContext.actor("admin"));
            mint(store, "m4", alice, "4.00", EntryContext.actor("admin"));
            assertThat(scan(new ChainScanner(store), 1, 4)).isEmpty();

            // A NUL byte inside a text would shift the fields of SQLite's joined blob: the row goes to the full check.
            // (PostgreSQL refuses NUL in text; there the actor just changes.)
            sql(
                    store,
                    "UPDATE ledger_entries SET actor = ? WHERE seq = 2",
                    kind == StoreKind.SQLITE ? "ad" + (char) 0 + "min" : "admín");
            // Bytes that are not UTF-8 where text belongs.
            sql(store, "UPDATE ledger_entries SET actor = ? WHERE seq = 3", (Object)
                    (kind == StoreKind.SQLITE ? new byte[] {'a', (byte) 0xff} : "a\uFFFD"));

            assertThat(scan(new ChainScanner(store), 1, 4))
                    .extracting(f -> f.type() + "@" + f.seq().orElse(-1))
                    .containsExactly("TRANSACTION_TAMPERED@2", "TRANSACTION_TAMPERED@3");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    @SuppressWarnings("try") // the ledger is closed early, so that the store can be reopened with its new schema
    void aRequiredColumnMadeNullCannotBeMadeUpForByASeparatorInAnother(StoreKind kind) {
        String location = kind.freshLocation();
        try (JdbcLedgerStore store = fresh(location)) {
            UUID alice = openAlice(store);
            mint(store, "m1", alice, "1.00", EntryContext.actor("admin"));
            mint(store, "m2", alice, "2.00", EntryContext.actor("admin"));
            // An attacker who can alter the schema drops NOT NULL, empties transaction_id and hides it in type
            // behind a NUL: joined, the fields would read exactly as before.
            if (kind == StoreKind.SQLITE) {
                sql(store, "PRAGMA writable_schema = ON");
                sql(
                        store,
                        "UPDATE sqlite_schema SET sql = replace(sql, 'transaction_id          TEXT    NOT NULL', "
                                + "'transaction_id          TEXT') WHERE name = 'ledger_entries'");
            } else {
                sql(store, "ALTER TABLE ledger_entries ALTER COLUMN transaction_id DROP NOT NULL");
            }
        }
        try (JdbcLedgerStore reopened = (JdbcLedgerStore) Stores.open(location)) {
            sql(
                    reopened,
                    "UPDATE ledger_entries SET transaction_id = NULL, type = ? WHERE seq = 2",
                    kind == StoreKind.SQLITE ? "m2" + (char) 0 + "MINT" : "MINT");

            assertThat(scan(new ChainScanner(reopened), 1, 2))
                    .extracting(f -> f.type() + "@" + f.seq().orElse(-1))
                    .containsExactly("INVALID_ENTRY@2");
        }
    }

    private static JdbcLedgerStore fresh(StoreKind kind) {
        return fresh(kind.freshLocation());
    }

    /** A new store at {@code location} with the treasury open, as a ledger leaves it. */
    private static JdbcLedgerStore fresh(String location) {
        JdbcLedgerStore store = (JdbcLedgerStore) Stores.open(location);
        StoreWrites.openTreasury(store);
        return store;
    }

    private static UUID openAlice(JdbcLedgerStore store) {
        UUID id = UUID.randomUUID();
        Outcome opened = StoreWrites.apply(
                        store, List.of(new Command.OpenAccount(id, "alice", "alice@example.com", Role.USER)))
                .getFirst();
        assertThat(opened).isInstanceOf(Outcome.AccountChanged.class);
        return id;
    }

    private static void mint(JdbcLedgerStore store, String id, UUID receiver, String amount, EntryContext context) {
        Outcome minted = StoreWrites.apply(
                        store, List.of(new Command.Mint(id, receiver, Money.parse(amount, Currency.EUR), context)))
                .getFirst();
        assertThat(minted).as(id).isInstanceOf(Outcome.Written.class);
    }

    private static List<Finding> scan(ChainScanner scanner, long from, long to) {
        ChainVerifier verifier = new ChainVerifier(Currencies.defaults(), Link.GENESIS, 100);
        scanner.scan(from, to, verifier, n -> {});
        return verifier.result().findings();
    }

    /** The columns of an entry without metadata, named: a table altered later has more, at its end. */
    private static final String V1_COLUMNS =
            "seq, transaction_id, type, status, sender_id, receiver_id, currency, amount_gross, tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, reverses_transaction_id, previous_hash, current_hash";

    private static void sql(JdbcLedgerStore store, String sql, Object... params) {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
