package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validator the shared clients run on every answer refuses what the document does not allow. */
class OpenApiContractTest {
    private static final Optional<String> JSON = Optional.of("application/json; charset=utf-8");
    private static final Optional<String> PROBLEM = Optional.of("application/problem+json; charset=utf-8");
    private static final String ACCOUNT = "{\"id\":\"0b6a3f9e-5d1c-4c4e-9a55-3f1f3b7f0e11\",\"username\":\"alice\","
            + "\"email\":\"a@example.com\",\"role\":\"USER\",\"is_frozen_for_fraud\":false,\"frozen_reason\":null,"
            + "\"frozen_at\":null,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
            + "\"version\":%s,\"balances\":{}}";
    private final OpenApiContract contract = OpenApiContract.instance();

    @Test
    void aDocumentedAnswerPasses() {
        assertThat(contract.mismatches("GET", "/v1/accounts/alice", 200, JSON, ACCOUNT.formatted("1")))
                .isEmpty();
    }

    @Test
    void aBodyOfTheWrongShapeIsAMismatch() {
        assertThat(contract.mismatches("GET", "/v1/accounts/alice", 200, JSON, ACCOUNT.formatted("\"1\"")))
                .singleElement()
                .asString()
                .contains("version");
    }

    @Test
    void aStatusTheOperationDoesNotDocumentIsAMismatch() {
        assertThat(contract.mismatches("GET", "/v1/accounts/alice", 204, JSON, ""))
                .singleElement()
                .asString()
                .contains("status 204 is not documented");
    }

    @Test
    void aProblemCodeTheOperationDoesNotListForThatStatusIsAMismatch() {
        String problem = "{\"type\":\"urn:tally:problem:duplicate-transaction\",\"title\":\"t\",\"status\":409,"
                + "\"code\":\"DUPLICATE_TRANSACTION\",\"detail\":\"d\"}";
        assertThat(contract.mismatches("POST", "/v1/accounts", 409, PROBLEM, problem))
                .isNotEmpty();
    }

    @Test
    void aContentTypeTheDocumentDoesNotListIsAMismatch() {
        assertThat(contract.mismatches(
                        "GET", "/v1/accounts/alice", 200, Optional.of("text/html"), ACCOUNT.formatted("1")))
                .singleElement()
                .asString()
                .contains("Content-Type text/html");
    }

    @Test
    void aLiteralSegmentWinsOverAPathParameter() {
        assertThat(contract.template("/v1/transfers/batch")).contains("/v1/transfers/batch");
        assertThat(contract.template("/v1/accounts/bob/history")).contains("/v1/accounts/{id}/history");
    }

    @Test
    void aTrailingSlashIsTheSamePathAsJavalinServesIt() {
        assertThat(contract.mismatches("GET", "/v1/accounts/alice/", 200, JSON, ACCOUNT.formatted("1")))
                .isEmpty();
    }

    @Test
    void answersFromATreeOutsideTheApiAreNotChecked() {
        assertThat(contract.mismatches("GET", "/console/accounts", 200, Optional.of("text/html"), "<html></html>"))
                .isEmpty();
        assertThat(contract.mismatches("GET", "/v1/console", 200, Optional.of("text/html"), "<html></html>"))
                .isNotEmpty();
    }
}
