package dev.tally.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A payment a fraud rule holds reaches the Java client as held, with the pending transfer, never as written. */
class HeldPaymentTest {
    private static FraudPolicy holdTheSecondPayment() {
        return FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), FraudAction.HOLD));
    }

    @Test
    void aHeldPaymentIsAnsweredAsHeldWithItsPendingTransferAndItsFraudEvent() {
        try (LiveServer live = LiveServer.start(c -> c.withFraud(holdTheSecondPayment()))) {
            TallyClient admin = live.admin();
            admin.createAccount("alice", "alice@example.com");
            admin.createAccount("bob", "bob@example.com");
            admin.mint("mint-1", "alice", "EUR", "100.00");
            TallyClient game = TallyClient.builder(live.uri(), admin.createApiKey("game", "service"))
                    .build();
            assertThat(game.transfer(Transfer.purchase("h1", "alice", "bob", "EUR", "1.00"))
                            .outcome())
                    .isEqualTo(Written.Outcome.CREATED);

            Written held = game.transfer(Transfer.purchase("h2", "alice", "bob", "EUR", "1.00"));

            assertThat(held.outcome()).isEqualTo(Written.Outcome.HELD);
            assertThat(held.entry().transactionId()).isEqualTo("h2");
            assertThat(held.entry().type()).isEqualTo("PENDING");
            assertThat(held.hold()).hasValueSatisfying(h -> {
                assertThat(h.rule()).isEqualTo("velocity_count");
                assertThat(h.fraudEventId()).isPresent();
                assertThat(h.expiresAt()).isNotBlank();
            });
            assertThat(game.account("bob").balances()).containsEntry("EUR", "0.80");
        }
    }
}
