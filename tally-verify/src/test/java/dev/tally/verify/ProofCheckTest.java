package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes of the proof checker: 0 valid, 1 invalid, 2 malformed. */
class ProofCheckTest {
    static final NoteSigner.KeyPairText KEYS = NoteSigner.generate("tally.dev/log");
    static final NoteSigner SIGNER = NoteSigner.fromSignerKey(KEYS.signerKey());

    private final MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES);
    private final byte[] root8 = StoredHashes.treeHash(8, log);
    private final InclusionProof inclusion = new InclusionProof(
            5, 8, root8, Hashes.leafHash(MemoryLog.RFC_LEAVES.get(5)), Proofs.proveInclusion(8, 5, log));
    private final ConsistencyProof consistency =
            new ConsistencyProof(3, 8, StoredHashes.treeHash(3, log), root8, Proofs.proveConsistency(3, 8, log));
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void validInclusionProofExitsZero() {
        assertThat(ProofCheck.check(inclusion.toJson(), Optional.empty(), out)).isEqualTo(0);
        assertThat(printed()).startsWith("VALID: inclusion of leaf 5 in tree of size 8");
    }

    @Test
    void validConsistencyProofExitsZero() {
        assertThat(ProofCheck.check(consistency.toJson(), Optional.empty(), out))
                .isEqualTo(0);
    }

    @Test
    void proofThatDoesNotVerifyExitsOne() {
        String json = new InclusionProof(4, 8, root8, inclusion.leafHash(), inclusion.proof()).toJson();
        assertThat(ProofCheck.check(json, Optional.empty(), out)).isEqualTo(1);
        assertThat(printed()).startsWith("INVALID");
    }

    @Test
    void malformedJsonExitsTwo() {
        assertThat(ProofCheck.check(inclusion.toJson() + ",", Optional.empty(), out))
                .isEqualTo(2);
        assertThat(printed()).startsWith("MALFORMED");
    }

    @Test
    void checkpointSignedByTheGivenKeyAndMatchingTheProofExitsZero() {
        String json = inclusion
                .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 8, root8).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey() + "\n"), out))
                .isEqualTo(0);
        assertThat(printed()).contains("signed by tally.dev/log");
    }

    @Test
    void consistencyCheckpointMustMatchSize2AndRoot2() {
        String json = consistency
                .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 8, root8).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(0);
    }

    @Test
    void checkpointSignedByAnotherKeyExitsOne() {
        NoteSigner other =
                NoteSigner.fromSignerKey(NoteSigner.generate("tally.dev/log").signerKey());
        String json = inclusion
                .withCheckpoint(other.sign(new Checkpoint("tally.dev/log", 8, root8).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(1);
        assertThat(printed()).contains("no signature from key");
    }

    @Test
    void checkpointForAnotherSizeExitsOne() {
        String json = inclusion
                .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 7, root8).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(1);
    }

    @Test
    void checkpointForAnotherRootExitsOne() {
        String json = inclusion
                .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 8, Hashes.emptyRoot()).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(1);
    }

    @Test
    void tamperedCheckpointTextExitsOne() {
        String signed = SIGNER.sign(new Checkpoint("tally.dev/log", 8, root8).body());
        String json = inclusion
                .withCheckpoint(signed.replace("tally.dev/log\n", "tally.dev/lag\n"))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(1);
    }

    @Test
    void publicKeyWithoutEmbeddedCheckpointExitsOne() {
        assertThat(ProofCheck.check(inclusion.toJson(), Optional.of(KEYS.verifierKey()), out))
                .isEqualTo(1);
        assertThat(printed()).contains("no checkpoint");
    }

    @Test
    void checkpointWithoutPublicKeyIsMatchedButReportedUnverified() {
        String json = inclusion
                .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 8, root8).body()))
                .toJson();
        assertThat(ProofCheck.check(json, Optional.empty(), out)).isEqualTo(0);
        assertThat(printed()).contains("NOT verified");
    }

    @Test
    void malformedCheckpointExitsTwo() {
        String json = inclusion.withCheckpoint("not a signed note").toJson();
        assertThat(ProofCheck.check(json, Optional.of(KEYS.verifierKey()), out)).isEqualTo(2);
    }

    @Test
    void malformedPublicKeyExitsTwo() {
        assertThat(ProofCheck.check(inclusion.toJson(), Optional.of("not-a-key"), out))
                .isEqualTo(2);
    }

    @Test
    void commandLineReadsProofAndKeyFiles(@TempDir Path dir) throws Exception {
        Path proof = Files.writeString(
                dir.resolve("proof.json"),
                inclusion
                        .withCheckpoint(SIGNER.sign(new Checkpoint("tally.dev/log", 8, root8).body()))
                        .toJson());
        Path key = Files.writeString(dir.resolve("log.vkey"), KEYS.verifierKey() + "\n");
        assertThat(ProofCheck.run(new String[] {proof.toString(), "--public-key", key.toString()}, out, out))
                .isEqualTo(0);
    }

    @Test
    void missingFileExitsTwo(@TempDir Path dir) {
        assertThat(ProofCheck.run(new String[] {dir.resolve("absent.json").toString()}, out, out))
                .isEqualTo(2);
    }

    @Test
    void fileThatIsNotUtf8ExitsTwo(@TempDir Path dir) throws Exception {
        Path proof = Files.write(dir.resolve("proof.json"), new byte[] {'{', (byte) 0xff, '}'});
        assertThat(ProofCheck.run(new String[] {proof.toString()}, out, out)).isEqualTo(2);
    }

    @Test
    void wrongArgumentsPrintUsageAndExitTwo() {
        assertThat(ProofCheck.run(new String[] {"a.json", "--key", "k"}, out, out))
                .isEqualTo(2);
        assertThat(printed()).contains("usage: ProofCheck FILE [--public-key VKEYFILE]");
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
