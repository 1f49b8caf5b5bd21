package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.Role;
import dev.tally.core.command.Exchange;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.export.ExportAudit;
import dev.tally.store.export.ExportRestorer;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Account limits (credit limit, max balance) and currency exchange through a market account, on both stores. */
class AccountLimitsAndExchangeTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final Currency GOLD = new Currency("GOLD", 0);
    private static final Currency GEMS = new Currency("GEMS", 2);
    private Ledger ledger;
    private Account alice;
    private Account bob;
    private Account market;

    private void open(StoreKind kind) {
        Rules rules = Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD, GEMS)));
        ledger = Ledger.open(TestStores.config(kind).withRules(rules));
        alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        market = ledger.createAccount("gem-market", "market@example.com", Role.SYSTEM);
        ledger.mint("seed", alice.id(), eur("100.00"), CTX);
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private Money eur(String amount) {
        return ledger.money(amount, "EUR");
    }

    private long balance(Account a, String currency) {
        return Optional.ofNullable(ledger.reads().balances(a.id()).get(currency))
                .map(Money::minor)
                .orElse(0L);
    }

    private Account limit(Account a, String currency, long credit, Optional<Long> max) {
        return ledger.setAccountLimit(a.id(), currency, new AccountLimit(credit, max), Optional.empty());
    }

    private void assertValid() {
        assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        assertThat(ledger.audit().reconcile().valid()).isTrue();
    }

    private void assertRejectedUnchanged(RejectionCode code, ThrowingCallable call) {
        String before = StoreSql.dump(LedgerInternals.store(ledger));
        assertThatThrownBy(call)
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).code()).isEqualTo(code));
        assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
    }

    private Exchange goldForGems(String id, long gold, String rate, int feeBps) {
        return new Exchange(
                id, alice.id(), market.id(), Money.ofMinor(GOLD, gold), GEMS, new BigDecimal(rate), feeBps, CTX);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCreditLimitLetsTheBalanceGoBelowZeroAndReconciles(StoreKind kind) {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.empty());
        ledger.transfer("t1", alice.id(), bob.id(), eur("130.00"), CTX);
        assertThat(balance(alice, "EUR")).isEqualTo(-3_000);
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCreditLimitBelowWhatTheAccountOwesIsRefusedAndWritesNothing(StoreKind kind) {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.empty());
        ledger.transfer("t1", alice.id(), bob.id(), eur("130.00"), CTX);

        assertRejectedUnchanged(
                RejectionCode.CREDIT_LIMIT_EXCEEDED, () -> limit(alice, "EUR", 2_999, Optional.empty()));
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCreditLimitLoweredToExactlyWhatTheAccountOwesIsTaken(StoreKind kind) {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.empty());
        ledger.transfer("t1", alice.id(), bob.id(), eur("130.00"), CTX);

        limit(alice, "EUR", 3_000, Optional.empty());

        assertRejectedUnchanged(
                RejectionCode.CREDIT_LIMIT_EXCEEDED,
                () -> ledger.transfer("t2", alice.id(), bob.id(), eur("0.01"), CTX));
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void goingBeyondTheCreditLimitIsRefusedAndWritesNothing(StoreKind kind) {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.empty());
        assertRejectedUnchanged(
                RejectionCode.CREDIT_LIMIT_EXCEEDED,
                () -> ledger.transfer("t1", alice.id(), bob.id(), eur("150.01"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutACreditLimitOverspendingIsStillInsufficientFunds(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.INSUFFICIENT_FUNDS,
                () -> ledger.transfer("t1", alice.id(), bob.id(), eur("100.01"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCreditLimitDoesNotLetAnAccountBurnMoneyItDoesNotHold(StoreKind kind) {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.empty());
        assertRejectedUnchanged(
                RejectionCode.INSUFFICIENT_FUNDS, () -> ledger.burn("b1", alice.id(), eur("100.01"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTransferOrMintOverTheMaxBalanceIsRefusedAndWritesNothing(StoreKind kind) {
        open(kind);
        ledger.transfer("t1", alice.id(), bob.id(), eur("50.00"), CTX);
        limit(bob, "EUR", 0, Optional.of(balance(bob, "EUR")));
        assertRejectedUnchanged(
                RejectionCode.MAX_BALANCE_EXCEEDED,
                () -> ledger.transfer("t2", alice.id(), bob.id(), eur("0.01"), CTX));
        assertRejectedUnchanged(
                RejectionCode.MAX_BALANCE_EXCEEDED, () -> ledger.mint("m1", bob.id(), eur("0.01"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void postingAPendingTransferOverTheReceiversCapIsRefused(StoreKind kind) {
        open(kind);
        limit(bob, "EUR", 0, Optional.of(1_000L));
        ledger.createPending("p1", EntryType.TRANSFER, alice.id(), bob.id(), eur("20.00"), Duration.ofMinutes(5), CTX);
        assertRejectedUnchanged(
                RejectionCode.MAX_BALANCE_EXCEEDED, () -> ledger.postPending("post-1", "p1", Optional.empty(), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void moneyComingBackToItsSenderIsNotCapped(StoreKind kind) {
        open(kind);
        ledger.createPending("p1", EntryType.TRANSFER, alice.id(), bob.id(), eur("20.00"), Duration.ofMinutes(5), CTX);
        limit(alice, "EUR", 0, Optional.of(1_000L));
        assertThat(ledger.voidPending("v1", "p1", CTX).type()).isEqualTo(EntryType.VOID_PENDING);
        assertThat(balance(alice, "EUR")).isEqualTo(10_000);
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void settingALimitBumpsTheAccountsVersionAndAStaleVersionIsRefused(StoreKind kind) {
        open(kind);
        Account changed = ledger.setAccountLimit(
                alice.id(), "EUR", new AccountLimit(100, Optional.of(9_000_000L)), Optional.of(alice.version()));
        assertThat(changed.version()).isEqualTo(alice.version() + 1);
        assertThat(ledger.reads().findAccount(alice.id()).orElseThrow().limit("EUR"))
                .isEqualTo(new AccountLimit(100, Optional.of(9_000_000L)));
        assertRejectedUnchanged(
                RejectionCode.VERSION_CONFLICT,
                () -> ledger.setAccountLimit(alice.id(), "EUR", AccountLimit.NONE, Optional.of(alice.version())));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theTreasuryTakesNoLimitsAndAnUnknownCurrencyIsRefused(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.VALIDATION_FAILED,
                () -> ledger.setAccountLimit(
                        Rules.TREASURY_ID, "EUR", new AccountLimit(1, Optional.empty()), Optional.empty()));
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_CURRENCY,
                () -> ledger.setAccountLimit(
                        alice.id(), "XYZ", new AccountLimit(1, Optional.empty()), Optional.empty()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeConvertsAtTheStatedRateWithTheFeeToTheTreasury(StoreKind kind) {
        open(kind);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("liquidity", market.id(), Money.ofMinor(GEMS, 1_000_000), CTX);
        // 7 GOLD at 2.345 GEMS each is 16.415 GEMS, rounded down to 16.41; a 1 % fee is 0.16.
        List<LedgerEntry> legs = ledger.exchange(goldForGems("x1", 7, "2.3450", 100));
        assertThat(legs).extracting(LedgerEntry::transactionId).containsExactly("x1.sell", "x1.buy");
        assertThat(legs).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EntryType.EXCHANGE);
            assertThat(e.metadata().values())
                    .containsEntry(Metadata.RATE, "2.345")
                    .containsEntry(Metadata.EXCHANGE, "x1");
        });
        LedgerEntry buy = legs.get(1);
        assertThat(buy.amountGross()).isEqualTo(1_641);
        assertThat(buy.taxWithheld()).isEqualTo(16);
        assertThat(buy.taxKind()).isEqualTo(TaxKind.EXCHANGE_FEE);
        assertThat(balance(alice, "GOLD")).isEqualTo(93);
        assertThat(balance(alice, "GEMS")).isEqualTo(1_625);
        assertThat(balance(market, "GOLD")).isEqualTo(7);
        assertThat(balance(market, "GEMS")).isEqualTo(1_000_000 - 1_641);
        assertThat(ledger.reads().balances(Rules.TREASURY_ID).get("GEMS").minor())
                .isEqualTo(16);
        assertValid();
        assertThat(ledger.exchange(goldForGems("x1", 7, "2.3450", 100))).isEqualTo(legs);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeTheMarketCannotPayIsRefusedAsInsufficientLiquidityAndWritesNothing(StoreKind kind) {
        open(kind);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("liquidity", market.id(), Money.ofMinor(GEMS, 1_000), CTX);
        assertRejectedUnchanged(
                RejectionCode.INSUFFICIENT_LIQUIDITY, () -> ledger.exchange(goldForGems("x1", 5, "2.5", 0)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeThroughAnOrdinaryAccountIsRefused(StoreKind kind) {
        open(kind);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("gems", bob.id(), Money.ofMinor(GEMS, 100_000), CTX);
        Exchange viaBob =
                new Exchange("x1", alice.id(), bob.id(), Money.ofMinor(GOLD, 5), GEMS, new BigDecimal("2"), 0, CTX);
        assertRejectedUnchanged(RejectionCode.VALIDATION_FAILED, () -> ledger.exchange(viaBob));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeWhoseMetadataLeavesNoRoomForTheRateIsInvalidAndWritesNothing(StoreKind kind) {
        open(kind);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("liquidity", market.id(), Money.ofMinor(GEMS, 1_000_000), CTX);
        java.util.Map<String, String> full = new java.util.HashMap<>();
        for (int i = 0; i < Metadata.MAX_KEYS; i++) {
            full.put("k" + i, "v");
        }
        Exchange x = new Exchange(
                "x1",
                alice.id(),
                market.id(),
                Money.ofMinor(GOLD, 5),
                GEMS,
                new BigDecimal("2"),
                0,
                CTX.withMetadata(Metadata.of(full)));
        assertRejectedUnchanged(RejectionCode.VALIDATION_FAILED, () -> ledger.exchange(x));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeOverTheAccountsCapIsRefused(StoreKind kind) {
        open(kind);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("liquidity", market.id(), Money.ofMinor(GEMS, 1_000_000), CTX);
        limit(alice, "GEMS", 0, Optional.of(999L));
        assertRejectedUnchanged(
                RejectionCode.MAX_BALANCE_EXCEEDED, () -> ledger.exchange(goldForGems("x1", 5, "2", 0)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void limitsAndExchangesExportAuditAndRestore(StoreKind kind) throws Exception {
        open(kind);
        limit(alice, "EUR", 5_000, Optional.of(1_000_000L));
        ledger.transfer("t1", alice.id(), bob.id(), eur("120.00"), CTX);
        ledger.mint("g", alice.id(), Money.ofMinor(GOLD, 100), CTX);
        ledger.mint("liquidity", market.id(), Money.ofMinor(GEMS, 1_000_000), CTX);
        ledger.exchange(goldForGems("x1", 10, "1.5", 50));
        Path file = Files.createTempDirectory("tally-export-").resolve("ledger.jsonl");
        ledger.audit().export(file, new AtomicLong());
        ExportAudit.Result audit =
                new ExportAudit(2, 100, Clock.systemUTC()).audit(file, Optional.empty(), true, new AtomicLong());
        assertThat(audit.valid()).isTrue();
        String target = TestStores.freshLocation(kind);
        try (LedgerStore store = Stores.open(target)) {
            ExportRestorer.restore(store, audit);
        }
        try (Ledger restored = Ledger.open(LedgerConfig.defaults()
                .withLocation(target)
                .withRules(Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD, GEMS)))))) {
            assertThat(restored.reads()
                            .findAccount(alice.id())
                            .orElseThrow()
                            .limit("EUR")
                            .creditLimit())
                    .isEqualTo(5_000);
            assertThat(restored.audit().reconcile().valid()).isTrue();
            assertThat(restored.audit().verifyChainIntegrity().valid()).isTrue();
        }
    }
}
