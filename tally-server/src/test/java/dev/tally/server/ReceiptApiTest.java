package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.ProofCheck;
import dev.tally.verify.ReceiptCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/transactions/{id}/receipt}: a tlog-proof that verifies offline, also for an entry no checkpoint covered. */
class ReceiptApiTest {
    @Test
    void aReceiptForARecentEntryGetsACheckpointAndVerifiesOffline() throws Exception {
        Path dir = Files.createTempDirectory("tally-keys-");
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/receipts");
        // Automatic checkpoints only every 1000 entries: the receipt has to ask for one.
        CheckpointConfig checkpoints = new CheckpointConfig(keys.privateKey(), Optional.empty(), 1000, Duration.ZERO);
        try (Running s = Running.start(
                StoreKind.SQLITE,
                c -> c.withCheckpoints(Optional.of(checkpoints))
                        .withTransparency(c.transparency().withReceiptWait(Duration.ofMillis(100))))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            assertThat(s.http.post("/v1/transfers", s.service, transfer("r1", alice, bob, "2.50"))
                            .status())
                    .isEqualTo(201);

            Response r = s.http.get("/v1/transactions/r1/receipt", s.service);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            assertThat(Long.parseLong(r.header("Tally-Receipt-Wait-Ms").orElseThrow()))
                    .isBetween(100L, 5_000L);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = ReceiptCheck.check(
                    r.body(), keys.verifierKey(), Optional.empty(), new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(ProofCheck.VALID);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("transaction_id: r1", "amount_gross: 250");
            assertThat(s.http.get("/v1/transactions/nope/receipt", s.auditor).code())
                    .isEqualTo("UNKNOWN_TRANSACTION");
        }
    }

    @Test
    void withoutACheckpointKeyAnUncoveredEntryIs503AtOnce() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            s.http.post("/v1/transfers", s.service, transfer("r2", alice, bob, "1.00"));
            String before = s.dump();
            String id = "r2";

            Response none = s.http.get("/v1/transactions/" + id + "/receipt", s.service);

            assertThat(none.status()).as(none.toString()).isEqualTo(503);
            assertThat(none.code()).isEqualTo("NOT_YET_CHECKPOINTED");
            assertThat(none.header("Retry-After")).hasValue("5");
            assertThat(s.dump()).isEqualTo(before);
        }
    }
}
