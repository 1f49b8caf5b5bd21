package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.WriteSet;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.store.testing.StoreKind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An operator's view of a halted writer: every write is answered 503 {@code LEDGER_HALTED}, {@code /health}
 * is not ready and says why, and reads still answer.
 */
class WriterHaltApiTest {

    @Test
    void aHaltedWriterAnswersWritesWith503LedgerHaltedAndHealthSaysWhy() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            String before = s.dump();
            breakNextBatch(s, "injected: the treasury total disagrees with its entries");

            Response failed = s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"));
            Response later = s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "1.00"));
            Response health = s.http.get("/health", null);

            assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
            assertThat(failed.contentType()).startsWith("application/problem+json");
            assertThat(failed.json().get("code").asText()).isEqualTo("LEDGER_HALTED");
            assertThat(failed.json().get("detail").asText())
                    .contains("was not written")
                    .doesNotContain("treasury total");
            assertThat(later.status()).isEqualTo(503);
            assertThat(later.json().get("code").asText()).isEqualTo("LEDGER_HALTED");
            assertThat(s.dump()).as("nothing was written").isEqualTo(before);
            assertThat(health.status()).isEqualTo(503);
            JsonNode writer = health.json().get("checks").get("writer");
            assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(writer.get("status").asText()).isEqualTo("HALTED");
            assertThat(writer.get("reason").asText()).contains("treasury total disagrees");
            assertThat(writer.get("since").asText()).isNotBlank();
            assertThat(s.http.get("/v1/accounts/" + alice, s.service).status())
                    .as("reads still answer")
                    .isEqualTo(200);
        }
    }

    @Test
    void healthReportsARunningWriter() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Response health = s.http.get("/health", null);

            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("checks").get("writer").get("status").asText())
                    .isEqualTo("UP");
        }
    }

    @Test
    void metricsShowTheHaltedWriter() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            assertThat(s.http.get("/metrics", s.auditor).body()).contains("tally_sequencer_halted 0.0");
            breakNextBatch(s, "injected");
            s.http.post("/v1/accounts", s.admin, "{\"username\":\"bob\",\"email\":\"bob@example.com\"}");

            assertThat(s.http.get("/metrics", s.auditor).body()).contains("tally_sequencer_halted 1.0");
        }
    }

    /** Makes the next batch throw while it is prepared, as a broken invariant would. */
    private static void breakNextBatch(Running s, String message) {
        AtomicBoolean armed = new AtomicBoolean(true);
        LedgerInternals.sequencer(s.server.ledger()).addExtension(new BatchExtension() {
            @Override
            public WriteSet extend(WriteSet batch) {
                if (armed.getAndSet(false)) {
                    throw new IllegalStateException(message);
                }
                return batch;
            }

            @Override
            public void committed(WriteSet batch) {}

            @Override
            public void invalidate() {}
        });
    }
}
