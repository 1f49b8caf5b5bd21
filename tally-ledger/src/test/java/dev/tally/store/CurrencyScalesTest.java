package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.ScaleChangedException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.RecordedScale;
import dev.tally.core.money.ScaleChange;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A currency's scale is fixed by its first entry: recorded with it, checked at every open and by reconciliation. */
class CurrencyScalesTest {
    private static final Currency JPY = new Currency("JPY", 0);

    private static LedgerConfig config(String location, Currency... currencies) {
        return LedgerConfig.defaults()
                .withLocation(location)
                .withRules(Rules.defaults().withCurrencies(Currencies.of(List.of(currencies))));
    }

    /** Mints EUR on the ledger at {@code location}; the seq of the mint. */
    private static long mintEur(String location) {
        try (Ledger ledger = Ledger.open(config(location, Currency.EUR, JPY))) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            return ledger.mint("mint-1", alice.id(), ledger.money("10.00", "EUR"), EntryContext.actor("admin"))
                    .seq();
        }
    }

    private static void sql(String location, String statement) {
        try (LedgerStore store = Stores.open(location)) {
            StoreSql.execute(store, statement);
        }
    }

    private static String dump(String location) {
        try (LedgerStore store = Stores.open(location)) {
            return StoreSql.dump(store);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCurrencysFirstEntryRecordsItsScale(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        long seq = mintEur(location);

        try (LedgerStore store = Stores.open(location)) {
            assertThat(store.recordedScales()).containsExactly(new RecordedScale("EUR", OptionalInt.of(2), seq));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfigurationThatRescalesACurrencyWithEntriesIsRefusedAndWritesNothing(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        long seq = mintEur(location);
        String before = dump(location);

        assertThatThrownBy(() -> Ledger.open(config(location, new Currency("EUR", 3), JPY)))
                .isInstanceOfSatisfying(
                        ScaleChangedException.class,
                        e -> assertThat(e.changes()).containsExactly(new ScaleChange("EUR", 2, 3, seq)))
                .hasMessageContaining(
                        "EUR has entries since seq " + seq + " written with scale 2, but the configuration says 3");
        assertThat(dump(location)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCurrencyWithoutEntriesMayChangeItsScale(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        mintEur(location);

        try (Ledger ledger = Ledger.open(config(location, Currency.EUR, new Currency("JPY", 2)))) {
            assertThat(ledger.audit().reconcile().valid()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void entriesOlderThanTheRecordTakeTheScaleOfTheNextOpen(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        long seq = mintEur(location);
        sql(location, "UPDATE currencies SET scale = NULL");

        try (Ledger ledger = Ledger.open(config(location, Currency.EUR))) {
            assertThat(ledger.audit().reconcile().valid()).isTrue();
        }
        try (LedgerStore store = Stores.open(location)) {
            assertThat(store.recordedScales()).containsExactly(new RecordedScale("EUR", OptionalInt.of(2), seq));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reconciliationReportsARecordedScaleThatDiffersFromTheConfiguredOne(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        mintEur(location);
        try (Ledger ledger = Ledger.open(config(location, Currency.EUR))) {
            sql(location, "UPDATE currencies SET scale = 4 WHERE code = 'EUR'");

            ReconciliationReport r = ledger.audit().reconcile();

            assertThat(r.valid()).isFalse();
            assertThat(r.findings()).extracting(Finding::type).containsExactly(FindingType.SCALE_MISMATCH);
            assertThat(r.findings().get(0).details())
                    .containsEntry("currency", "EUR")
                    .containsEntry("recorded_scale", 4)
                    .containsEntry("configured_scale", 2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reconciliationReportsACurrencyWithEntriesButNoRecord(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        mintEur(location);
        try (Ledger ledger = Ledger.open(config(location, Currency.EUR))) {
            sql(location, "DELETE FROM currencies");

            ReconciliationReport r = ledger.audit().reconcile();

            assertThat(r.findings()).extracting(Finding::type).containsExactly(FindingType.SCALE_MISMATCH);
            assertThat(r.findings().get(0).details()).containsEntry("recorded_scale", "missing");
        }
    }
}
