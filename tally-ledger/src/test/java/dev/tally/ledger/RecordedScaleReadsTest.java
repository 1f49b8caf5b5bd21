package dev.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reads show a currency this process was not configured with at the scale its entries were written in. */
class RecordedScaleReadsTest {
    private static final Currency GOLD = new Currency("GOLD", 2);

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBalanceInACurrencyNotConfiguredHereReadsAtItsRecordedScale(StoreKind kind) {
        String location = TestStores.freshLocation(kind);
        Account alice;
        try (Ledger server = Ledger.open(LedgerConfig.defaults()
                .withLocation(location)
                .withRules(Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD)))))) {
            alice = server.createAccount("alice", "alice@example.com", Role.USER);
            server.mint("mint-gold", alice.id(), server.money("10.50", "GOLD"), EntryContext.actor("admin"));
        }

        try (Ledger eurOnly = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            assertThat(eurOnly.reads().balances(alice.id()).get("GOLD").toString())
                    .isEqualTo("10.50 GOLD");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCodeWithNoRecordedScaleReadsAtScaleZero(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            assertThat(ledger.reads().currencyOrScale("NOPE")).isEqualTo(new Currency("NOPE", 0));
        }
    }
}
