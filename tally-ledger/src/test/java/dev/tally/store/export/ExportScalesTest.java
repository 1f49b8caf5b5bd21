package dev.tally.store.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An export carries the scales the ledger recorded, so that its amounts read the same wherever it goes. */
class ExportScalesTest {
    private static final Currency JPY = new Currency("JPY", 0);

    private static Rules rules(Currency... currencies) {
        return Rules.defaults().withCurrencies(Currencies.of(List.of(currencies)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCurrencyNoLongerConfiguredIsExportedAtItsRecordedScaleAndTheFileAuditsAndRestores(StoreKind kind)
            throws IOException {
        String location = TestStores.freshLocation(kind);
        try (Ledger ledger =
                Ledger.open(LedgerConfig.defaults().withLocation(location).withRules(rules(Currency.EUR, JPY)))) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.mint("mint-jpy", alice.id(), ledger.money("1500", "JPY"), EntryContext.actor("admin"));
            ledger.mint("mint-eur", alice.id(), ledger.money("12.50", "EUR"), EntryContext.actor("admin"));
        }
        Path file = Files.createTempDirectory("tally-export-").resolve("ledger.jsonl");
        Rules eurOnly = rules(Currency.EUR);
        try (Ledger ledger =
                Ledger.open(LedgerConfig.defaults().withLocation(location).withRules(eurOnly))) {
            new ExportWriter(LedgerInternals.store(ledger), eurOnly, Clock.systemUTC()).write(file, new AtomicLong());
        }

        ExportAudit.Result audit =
                new ExportAudit(2, 100, Clock.systemUTC()).audit(file, Optional.empty(), true, new AtomicLong());

        assertThat(audit.valid()).isTrue();
        assertThat(audit.currencies().find("JPY")).contains(JPY);
        assertThat(audit.supply().get("JPY").minted()).isEqualTo(1500);
        String target = TestStores.freshLocation(kind);
        try (LedgerStore store = Stores.open(target)) {
            ExportRestorer.restore(store, audit);
        }
        try (Ledger restored =
                Ledger.open(LedgerConfig.defaults().withLocation(target).withRules(rules(Currency.EUR, JPY)))) {
            assertThat(LedgerInternals.store(restored).recordedScales())
                    .extracting(r -> r.code() + "@" + r.scale().getAsInt())
                    .containsExactly("EUR@2", "JPY@0");
            assertThat(restored.audit().reconcile().valid()).isTrue();
        }
    }
}
