package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.witness.Witness;
import dev.tally.ledger.witness.WitnessServer;
import dev.tally.ledger.witness.WitnessStore;
import dev.tally.server.config.TransparencyConfig;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.CosignatureSigner;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.ProofCheck;
import dev.tally.verify.ReceiptCheck;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code tally serve} with a witness configured: each checkpoint is sent to it, its cosignature is published
 * on {@code /log/checkpoint} and carried by receipts, which then meet a tlog-policy quorum offline.
 */
class CosigningApiTest {
    @Test
    void checkpointsAreCosignedPublishedAndCarriedByReceipts() throws Exception {
        Path dir = Files.createTempDirectory("tally-cosign-");
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/cosigned");
        CosignatureSigner w1 = CosignatureSigner.fromSignerKey(
                NoteSigner.generate("witness.example/w1").signerKey());
        Witness witness = new Witness(
                List.of(SignerKeys.loadVerifier(keys.publicKey())),
                w1,
                new WitnessStore(dir.resolve("w1")),
                Clock.systemUTC());
        CheckpointConfig checkpoints = new CheckpointConfig(keys.privateKey(), Optional.empty(), 2, Duration.ZERO);
        try (WitnessServer ws = WitnessServer.start(witness, "127.0.0.1", 0);
                Running s = Running.start(
                        StoreKind.SQLITE,
                        c -> c.withCheckpoints(Optional.of(checkpoints))
                                .withTransparency(c.transparency()
                                        .withWitnesses(List.of(new TransparencyConfig.Witness(
                                                "w1",
                                                URI.create("http://127.0.0.1:" + ws.port() + "/"),
                                                w1.verifier().verifierKey())))))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            s.http.post("/v1/transfers", s.service, transfer("c1", alice, bob, "1.00"));

            String note = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!note.contains("witness.example/w1") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                note = s.http.get("/log/checkpoint", null).body();
            }

            assertThat(note).startsWith("tally.example/cosigned\n2\n").contains("\n\u2014 witness.example/w1 ");
            String receipt =
                    s.http.get("/v1/transactions/c1/receipt", s.auditor).body();
            String policy = "log " + keys.verifierKey() + "\nwitness w1 "
                    + w1.verifier().verifierKey() + "\nquorum w1\n";
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            assertThat(ReceiptCheck.check(receipt, keys.verifierKey(), Optional.of(policy), quiet))
                    .isEqualTo(ProofCheck.VALID);
        }
    }
}
