package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FraudShieldTest {
    private static final EntryContext CTX = EntryContext.actor("test");

    private static Ledger ledgerWith(StoreKind kind, FraudPolicy policy) {
        return Ledger.open(TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(policy)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tooManyPaymentsInTheWindowFreezeTheSender(StoreKind kind) {
        try (Ledger ledger = ledgerWith(kind, new FraudPolicy(3, Duration.ofMinutes(1), Long.MAX_VALUE))) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("100.00", "EUR"), CTX);
            for (int i = 0; i < 3; i++) {
                ledger.transfer("t" + i, a.id(), b.id(), ledger.money("1.00", "EUR"), CTX);
            }

            assertThatThrownBy(() -> ledger.transfer("t3", a.id(), b.id(), ledger.money("1.00", "EUR"), CTX))
                    .isInstanceOfSatisfying(
                            RejectedException.class, e -> assertThat(e.code()).isEqualTo(RejectionCode.ACCOUNT_FROZEN));
            Account frozen = ledger.reads().findAccount("alice").orElseThrow();
            assertThat(frozen.frozenForFraud()).isTrue();
            assertThat(frozen.frozenReason())
                    .hasValueSatisfying(r -> assertThat(r).startsWith("fraud shield"));
            assertThat(ledger.reads().findEntry("t3")).isEmpty();
            Invariants.assertHold(ledger);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSinglePaymentAboveTheLimitFreezesTheSender(StoreKind kind) {
        try (Ledger ledger = ledgerWith(kind, new FraudPolicy(1000, Duration.ofMinutes(1), 50_00))) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("100.00", "EUR"), CTX);

            assertThatThrownBy(() -> ledger.transfer("t1", a.id(), b.id(), ledger.money("50.01", "EUR"), CTX))
                    .isInstanceOf(RejectedException.class);
            assertThat(ledger.reads().findAccount("alice").orElseThrow().frozenForFraud())
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void systemAccountsAreNotShielded(StoreKind kind) {
        try (Ledger ledger = ledgerWith(kind, new FraudPolicy(1, Duration.ofMinutes(1), Long.MAX_VALUE))) {
            Account game = ledger.createAccount("game", "game@example.com", Role.SYSTEM);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", game.id(), ledger.money("100.00", "EUR"), CTX);
            ledger.transfer("t1", game.id(), b.id(), ledger.money("1.00", "EUR"), CTX);
            ledger.transfer("t2", game.id(), b.id(), ledger.money("1.00", "EUR"), CTX);
            assertThat(ledger.reads().findAccount("game").orElseThrow().frozenForFraud())
                    .isFalse();
        }
    }
}
