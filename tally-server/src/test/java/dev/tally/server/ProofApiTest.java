package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.ConsistencyProof;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.ProofCheck;
import dev.tally.verify.ProofJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The verifiable-log endpoints: inclusion and consistency proofs that the standalone verifier accepts,
 * the newest signed checkpoint, and sizes outside the tree refused on the field at fault.
 */
class ProofApiTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void proofsVerifyWithTheStandaloneVerifierAndBadSizesAre422(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            for (int i = 1; i <= 5; i++) {
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t" + i, alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
            }
            Response inclusion = s.http.get("/v1/audit/proofs/inclusion/t3", s.service);
            assertThat(inclusion.status()).as(inclusion.toString()).isEqualTo(200);
            InclusionProof p = (InclusionProof) ProofJson.parse(inclusion.body());
            assertThat(p.verify()).isTrue();
            assertThat(p.leafIdx()).isEqualTo(3);
            assertThat(p.treeSize()).isEqualTo(6);
            InclusionProof older =
                    (InclusionProof) ProofJson.parse(s.http.get("/v1/audit/proofs/inclusion/t3?tree_size=4", s.auditor)
                            .body());
            assertThat(older.treeSize()).isEqualTo(4);
            assertThat(older.verify()).isTrue();

            Response consistency = s.http.get("/v1/audit/proofs/consistency?size1=2&size2=6", s.auditor);
            assertThat(consistency.status()).isEqualTo(200);
            ConsistencyProof c = (ConsistencyProof) ProofJson.parse(consistency.body());
            assertThat(c.verify()).isTrue();
            assertThat(c.root2()).isEqualTo(p.root());

            String before = s.dump();
            Response tooSmall = s.http.get("/v1/audit/proofs/inclusion/t3?tree_size=2", s.auditor);
            assertThat(tooSmall.status()).isEqualTo(422);
            assertThat(tooSmall.json().get("field").asText()).isEqualTo("tree_size");
            Response tooBig = s.http.get("/v1/audit/proofs/consistency?size1=2&size2=99", s.auditor);
            assertThat(tooBig.status()).isEqualTo(422);
            assertThat(s.http.get("/v1/audit/proofs/consistency?size1=-1", s.auditor)
                            .json()
                            .get("field")
                            .asText())
                    .isEqualTo("size1");
            assertThat(s.http.get("/v1/audit/proofs/inclusion/nope", s.auditor).code())
                    .isEqualTo("UNKNOWN_TRANSACTION");
            Response none = s.http.get("/v1/audit/checkpoint", s.auditor);
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.code()).isEqualTo("NOT_FOUND");
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withASigningKeyTheServerPublishesCheckpointsThatProofsCarry(StoreKind kind) throws Exception {
        Path dir = Files.createTempDirectory("tally-keys-");
        SignerKeys.Written keys = SignerKeys.generate(dir, "tally.example/test");
        CheckpointConfig checkpoints = new CheckpointConfig(keys.privateKey(), Optional.empty(), 3, Duration.ZERO);
        try (Running s = Running.start(kind, c -> c.withCheckpoints(Optional.of(checkpoints)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            for (int i = 1; i <= 5; i++) {
                s.http.post("/v1/transfers", s.service, transfer("t" + i, alice, bob, "1.00"));
            }
            JsonNode checkpoint = signedCheckpoint(s);
            long size = checkpoint.get("tree_size").asLong();
            assertThat(size).isBetween(3L, 6L);
            assertThat(checkpoint.get("note").asText()).contains("tally.example/test");
            // Without tree_size, a proof is against the newest signed checkpoint that covers the entry, and carries it.
            String proof =
                    s.http.get("/v1/audit/proofs/inclusion/t1", s.auditor).body();
            // (Checkpoints are taken in the background, so a newer one may have come since the read above.)
            long proven = ((InclusionProof) ProofJson.parse(proof)).treeSize();
            assertThat(proven)
                    .isBetween(
                            size,
                            s.http.get("/v1/audit/checkpoint", s.service)
                                    .json()
                                    .get("tree_size")
                                    .asLong());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ProofCheck.check(
                            proof,
                            Optional.of(keys.verifierKey()),
                            new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)))
                    .as(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(ProofCheck.VALID);
        }
    }

    /** The newest signed checkpoint, once the background signer has signed one (under load it may lag). */
    private static JsonNode signedCheckpoint(Running s) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Response r = s.http.get("/v1/audit/checkpoint", s.service);
        while (r.status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            r = s.http.get("/v1/audit/checkpoint", s.service);
        }
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
