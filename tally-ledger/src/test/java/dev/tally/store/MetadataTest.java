package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.export.ExportAudit;
import dev.tally.store.export.ExportRestorer;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Metadata on money commands: recorded, hashed, verified, exported, restored and filtered, on both stores. */
class MetadataTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final Metadata ORDER = Metadata.of(Map.of("order_id", "A-1", "sku", "sword \"épée\" \\ 1"));
    private Ledger ledger;
    private Account alice;
    private Account bob;

    private void open(StoreKind kind) {
        ledger = TestStores.freshLedger(kind);
        alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        ledger.mint(
                "seed",
                alice.id(),
                ledger.money("100.00", "EUR"),
                CTX.withMetadata(Metadata.of(Map.of("why", "seed"))));
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private LedgerEntry purchase(String id, Metadata metadata) {
        return ledger.pay(
                id, EntryType.PURCHASE, alice.id(), bob.id(), ledger.money("1.00", "EUR"), CTX.withMetadata(metadata));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metadataIsStoredReadBackAndVerified(StoreKind kind) {
        open(kind);
        purchase("buy-1", ORDER);
        ledger.transfer("plain", alice.id(), bob.id(), ledger.money("1.00", "EUR"), CTX);

        assertThat(ledger.reads().findEntry("buy-1").orElseThrow().metadata()).isEqualTo(ORDER);
        assertThat(ledger.reads().findEntry("plain").orElseThrow().metadata()).isEqualTo(Metadata.EMPTY);
        assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        assertThat(ledger.audit().reconcile().valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void changedMetadataInTheDatabaseFailsVerification(StoreKind kind) {
        open(kind);
        purchase("buy-1", ORDER);
        StoreSql.execute(
                LedgerInternals.store(ledger),
                "UPDATE ledger_entries SET metadata = ? WHERE transaction_id = 'buy-1'",
                "{\"order_id\":\"A-2\"}");
        assertThat(ledger.audit().verifyChainIntegrity().valid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReplayWithOtherMetadataIsADuplicateAndWritesNothing(StoreKind kind) {
        open(kind);
        purchase("buy-1", ORDER);
        String before = StoreSql.dump(LedgerInternals.store(ledger));
        assertThatThrownBy(() -> purchase("buy-1", Metadata.of(Map.of("order_id", "B-9"))))
                .isInstanceOf(RejectedException.class)
                .satisfies(
                        e -> assertThat(((RejectedException) e).code()).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION));
        assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
        assertThat(purchase("buy-1", ORDER).transactionId()).isEqualTo("buy-1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metadataOverTheLimitsIsRefusedBeforeAnythingIsWritten(StoreKind kind) {
        open(kind);
        String before = StoreSql.dump(LedgerInternals.store(ledger));
        assertThatThrownBy(() -> purchase("big", Metadata.of(Map.of("note", "x".repeat(3000)))))
                .isInstanceOf(Metadata.InvalidMetadataException.class);
        assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void historyFiltersByOneMetadataKeyAndValueExactly(StoreKind kind) {
        open(kind);
        purchase("buy-1", ORDER);
        purchase("buy-2", Metadata.of(Map.of("order_id", "A-10")));
        purchase("buy-3", Metadata.of(Map.of("note", "\"order_id\":\"A-1\"")));
        purchase("buy-4", Metadata.of(Map.of("a", "1", "order_id", "A-1", "z", "2")));

        assertThat(ids(history(alice, "order_id", "A-1"))).containsExactly("buy-4", "buy-1");
        assertThat(ids(history(bob, "order_id", "A-10"))).containsExactly("buy-2");
        assertThat(ids(history(alice, "sku", "sword \"épée\" \\ 1"))).containsExactly("buy-1");
        assertThat(history(alice, "order_id", "A")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void exportAuditsAndRestoresWithItsMetadata(StoreKind kind) throws Exception {
        open(kind);
        purchase("buy-1", ORDER);
        Path file = Files.createTempDirectory("tally-export-").resolve("ledger.jsonl");
        ledger.audit().export(file, new AtomicLong());
        ExportAudit.Result audit =
                new ExportAudit(2, 100, Clock.systemUTC()).audit(file, Optional.empty(), true, new AtomicLong());
        assertThat(audit.valid()).isTrue();
        String target = TestStores.freshLocation(kind);
        try (LedgerStore store = Stores.open(target)) {
            ExportRestorer.restore(store, audit);
        }
        try (Ledger restored = Ledger.open(LedgerConfig.defaults().withLocation(target))) {
            assertThat(restored.reads().findEntry("buy-1").orElseThrow().metadata())
                    .isEqualTo(ORDER);
            assertThat(restored.audit().verifyChainIntegrity().valid()).isTrue();
            assertThat(restored.audit().reconcile().valid()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLedgerWrittenBeforeMetadataExistedStillVerifiesAfterTheUpgrade(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        try (Ledger old = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            Account a = old.createAccount("alice", "alice@example.com", Role.USER);
            Account b = old.createAccount("bob", "bob@example.com", Role.USER);
            old.mint("m", a.id(), old.money("10.00", "EUR"), CTX);
            old.transfer("t", a.id(), b.id(), old.money("1.00", "EUR"), CTX);
            // Back to the schema before metadata, as a ledger of an earlier release has it.
            LedgerStore store = LedgerInternals.store(old);
            StoreSql.execute(store, "DROP INDEX ledger_pending_idx");
            StoreSql.execute(store, "ALTER TABLE ledger_entries DROP COLUMN metadata");
            // Metadata came with V10: that migration and every later one are as yet unapplied (the later
            // ones are written to run again on such a ledger).
            StoreSql.execute(store, "DELETE FROM tally_schema_history WHERE CAST(version AS INTEGER) >= 10");
        }
        try (Ledger upgraded = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            assertThat(upgraded.audit().verifyChainIntegrity().valid()).isTrue();
            assertThat(upgraded.audit().reconcile().valid()).isTrue();
            assertThat(upgraded.reads().findEntry("t").orElseThrow().metadata()).isEqualTo(Metadata.EMPTY);
        }
    }

    private List<LedgerEntry> history(Account who, String key, String value) {
        return ledger.reads()
                .history(new HistoryQuery(who.id(), HistoryQuery.Direction.ALL, Optional.empty(), 100)
                        .withMetadata(new HistoryQuery.MetadataMatch(key, value)));
    }

    private static List<String> ids(List<LedgerEntry> entries) {
        return entries.stream().map(LedgerEntry::transactionId).toList();
    }
}
