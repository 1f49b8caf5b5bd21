package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fraud shield in {@code tally serve}: off by default, and with the configured limits when set. */
class FraudShieldApiTest {
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAccountPastTheConfiguredVelocityIsFrozenForFraudAndItsPaymentRefused(StoreKind kind) {
        try (Running s =
                Running.start(kind, c -> c.withFraud(new FraudPolicy(2, Duration.ofMinutes(1), Long.MAX_VALUE)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/transfers", s.service, transfer("f1", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);
            assertThat(s.http.post("/v1/transfers", s.service, transfer("f2", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);

            Response third = s.http.post("/v1/transfers", s.service, transfer("f3", alice, bob, "1.00"));

            assertThat(third.status()).isEqualTo(423);
            assertThat(third.code()).isEqualTo("ACCOUNT_FROZEN");
            JsonNode account = s.http.get("/v1/accounts/" + alice, s.service).json();
            assertThat(account.get("is_frozen_for_fraud").asBoolean()).isTrue();
            assertThat(s.http.get("/v1/transactions/f3", s.service).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAFraudSectionTheShieldNeverFreezes(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            for (int i = 0; i < 20; i++) {
                assertThat(s.http.post("/v1/transfers", s.service, transfer("n" + i, alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
            }
            assertThat(s.http.get("/v1/accounts/" + alice, s.service)
                            .json()
                            .get("is_frozen_for_fraud")
                            .asBoolean())
                    .isFalse();
        }
    }
}
