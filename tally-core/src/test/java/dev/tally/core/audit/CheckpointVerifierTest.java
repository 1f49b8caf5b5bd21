package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.MerkleTree;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.NoteVerifier;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint checks on their own, and the golden values of docs/FORMAT.md §4 and §6: the Merkle leaves
 * and roots over the three entry test vectors of §1, and the example signed checkpoint.
 */
class CheckpointVerifierTest {
    /** The current_hash of FORMAT.md §1's test vectors 1-3 (CanonicalEncodingTest pins them). */
    static final List<byte[]> VECTOR_HASHES = List.of(
            HexFormat.of().parseHex("460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774"),
            HexFormat.of().parseHex("227429db1ee02e67a3f44ac2b050c2b21830ad6d9333f3a94110be2ff14f08ed"),
            HexFormat.of().parseHex("59287b440832ef0249e2b7f3d25316ba7c74800a99c1ffaa2c760c59c0ab0656"));

    static final String EXAMPLE_KEY = "ledger.example.com/prod+9dfd1ba4+AaRPzQMtBrMQzLk6ahuqKtVSdFSpaDcfDMjtQCZ2lVKJ";
    static final String EXAMPLE_NOTE = """
            ledger.example.com/prod
            3
            6h/Akz0dih4q8QSU0wliU2OSATeb+Q1P9yVWdvGkHf0=

            \u2014 ledger.example.com/prod nf0bpEotV+c/hDOrHL8CbRyVJK7FGayyWGvHehIsEabq3/WLhBHbEm3eQveq4TKIGssoo5eLBFX51K2egH7+hNWJcwQ=
            """;

    @Test
    void theLeafOfAnEntryIsItsCurrentHashAndTheRootsOfTheFormatVectorsArePinned() {
        assertThat(Hashes.toHex(Hashes.leafHash(VECTOR_HASHES.get(0))))
                .isEqualTo("83f82f5ac5713bd3352c89ef3024ccbd474ef473a204dc27dffa03910696ccd0");
        assertThat(Hashes.toHex(MerkleTree.root(VECTOR_HASHES.subList(0, 2))))
                .isEqualTo("8ffaba4d4478243794bd6dcd2e74165272d86199c09e2213ed1a7fc55ca88b29");
        assertThat(Hashes.toHex(MerkleTree.root(VECTOR_HASHES)))
                .isEqualTo("ea1fc0933d1d8a1e2af10494d3096253639201379bf90d4ff7255676f1a41dfd");
    }

    @Test
    void theFormatExampleCheckpointVerifiesAndMatchesTheVectors() {
        NoteVerifier key = NoteVerifier.fromVerifierKey(EXAMPLE_KEY);
        Checkpoint c = key.open(EXAMPLE_NOTE).checkpoint();
        assertThat(c.origin()).isEqualTo("ledger.example.com/prod");
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.rootHash()).isEqualTo(MerkleTree.root(VECTOR_HASHES));

        CheckpointVerifier v = new CheckpointVerifier(new CheckpointCheck(key, List.of(EXAMPLE_NOTE), "FORMAT.md"));
        for (int i = 0; i < 3; i++) {
            v.accept(i + 1, VECTOR_HASHES.get(i));
        }
        assertThat(v.finish(3)).isEmpty();
    }

    @Test
    void rootsAreRecomputedFromTheLeavesAndEveryKindOfFailureIsReported() {
        NoteSigner signer =
                NoteSigner.fromSignerKey(NoteSigner.generate("log.example/a").signerKey());
        NoteSigner stranger =
                NoteSigner.fromSignerKey(NoteSigner.generate("log.example/a").signerKey());
        NoteSigner otherLog =
                NoteSigner.fromSignerKey(NoteSigner.generate("log.example/b").signerKey());
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            leaves.add(Hashes.sha256(new byte[] {(byte) i}));
        }
        List<String> notes = List.of(
                note(signer, "log.example/a", 5, MerkleTree.root(leaves.subList(0, 5))),
                note(signer, "log.example/a", 10, new byte[32]),
                note(stranger, "log.example/a", 12, MerkleTree.root(leaves.subList(0, 12))),
                note(signer, "log.example/a", 0, Hashes.emptyRoot()),
                note(signer, "log.example/a", 25, new byte[32]));
        CheckpointVerifier v = new CheckpointVerifier(new CheckpointCheck(signer.verifier(), notes, "witness.txt"));
        assertThat(v.neededSize()).isEqualTo(25);
        assertThat(v.newestWithin(20).orElseThrow().checkpoint().size()).isEqualTo(10);
        for (int i = 0; i < 20; i++) {
            v.accept(i + 1, leaves.get(i));
        }
        List<Finding> findings = v.finish(20);

        assertThat(findings)
                .extracting(Finding::type)
                .containsExactly(FindingType.BAD_SIGNATURE, FindingType.CHECKPOINT_MISMATCH, FindingType.TRUNCATED);
        assertThat(findings.get(0).message()).startsWith("Checkpoint 3 of witness.txt does not verify");
        assertThat(findings.get(1).seq()).hasValue(10);
        assertThat(findings.get(1).details())
                .containsEntry("recomputed_root", Hashes.toHex(MerkleTree.root(leaves.subList(0, 10))));
        assertThat(findings.get(2).seq()).hasValue(21);

        CheckpointVerifier foreign = new CheckpointVerifier(new CheckpointCheck(
                otherLog.verifier(), List.of(note(otherLog, "log.example/a", 1, new byte[32])), "x"));
        assertThat(foreign.finish(1)).extracting(Finding::type).containsExactly(FindingType.BAD_SIGNATURE);
        assertThat(foreign.finish(1).get(0).message()).contains("not of this log");
    }

    @Test
    void aGapInTheEntriesMakesLaterRootsUncomputable() {
        NoteSigner signer =
                NoteSigner.fromSignerKey(NoteSigner.generate("log.example/a").signerKey());
        List<byte[]> leaves =
                List.of(Hashes.sha256(new byte[] {1}), Hashes.sha256(new byte[] {2}), Hashes.sha256(new byte[] {3}));
        CheckpointVerifier v = new CheckpointVerifier(new CheckpointCheck(
                signer.verifier(), List.of(note(signer, "log.example/a", 3, MerkleTree.root(leaves))), "w"));
        v.accept(1, leaves.get(0));
        v.accept(3, leaves.get(2));

        List<Finding> findings = v.finish(3);
        assertThat(findings).extracting(Finding::type).containsExactly(FindingType.CHECKPOINT_MISMATCH);
        assertThat(findings.get(0).message()).contains("transaction #2 is missing");
    }

    private static String note(NoteSigner signer, String origin, long size, byte[] root) {
        return signer.sign(new Checkpoint(origin, size, root).body());
    }
}
