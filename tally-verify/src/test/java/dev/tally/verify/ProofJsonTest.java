package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict JSON reading and writing of proof documents. */
class ProofJsonTest {
    static final String H = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; // SHA-256("")
    static final String INCLUSION =
            "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}";

    private final MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES);

    @Test
    void inclusionProofRoundTripsThroughJson() {
        InclusionProof p = new InclusionProof(
                5,
                8,
                StoredHashes.treeHash(8, log),
                Hashes.leafHash(MemoryLog.RFC_LEAVES.get(5)),
                Proofs.proveInclusion(8, 5, log),
                Optional.of("a \"note\"\n\u2014 x\n"));
        assertThat(ProofJson.parse(p.toJson())).isEqualTo(p);
    }

    @Test
    void consistencyProofRoundTripsThroughJson() {
        ConsistencyProof p = new ConsistencyProof(
                3, 8, StoredHashes.treeHash(3, log), StoredHashes.treeHash(8, log), Proofs.proveConsistency(3, 8, log));
        assertThat(ProofJson.parse(p.toJson())).isEqualTo(p);
        assertThat(p.toJson()).doesNotContain("checkpoint");
    }

    @Test
    void documentKindIsChosenByItsFields() {
        assertThat(ProofJson.parse(INCLUSION)).isInstanceOf(InclusionProof.class);
        assertThat(ProofJson.parse(
                        "{\"size1\":1,\"size2\":1,\"root1\":\"" + H + "\",\"root2\":\"" + H + "\",\"proof\":null}"))
                .isInstanceOf(ConsistencyProof.class);
    }

    @Test
    void whitespaceAroundAndInsideTheObjectIsAllowed() {
        assertThat(ProofJson.parse(" \n\t" + INCLUSION.replace(",", " ,\r\n ").replace(":", " : ") + "\n "))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "null",
                "x" + INCLUSION,
                INCLUSION + "x",
                INCLUSION + "{}",
                "\ufeff" + INCLUSION,
                "{\"leafIdx\":0,\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[]}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"desc\":\"x\"}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\"}",
                "{\"leafIdx\":-1,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":1.0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":1e0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":01,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":\"0\",\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":0,\"treeSize\":9223372036854775808,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[]}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"AAAA\",\"leafHash\":\"" + H + "\",\"proof\":[]}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[\"\"]}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[],}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H + "\",\"proof\":[,]}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"checkpoint\":null}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"checkpoint\":\"a\nb\"}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"checkpoint\":\"\\ud800\"}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"checkpoint\":\"\\x41\"}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[],\"checkpoint\":\"abc",
                "{'leafIdx':0}",
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"" + H + "\",\"leafHash\":\"" + H
                        + "\",\"proof\":[]} // comment",
                "{\"leafIdx\":tru}",
                "{\"size2\":1}",
            })
    void malformedDocumentIsRejected(String json) {
        assertThatThrownBy(() -> ProofJson.parse(json))
                .isInstanceOfSatisfying(
                        ProofException.class, e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED));
    }

    @Test
    void deeplyNestedInputIsRejectedWithoutStackOverflow() {
        assertThatThrownBy(() -> ProofJson.parse("[".repeat(100_000)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void duplicateKeyErrorNamesTheKey() {
        assertThatThrownBy(() -> ProofJson.parse("{\"size1\":1,\"size1\":2}"))
                .hasMessageContaining("duplicate key \"size1\"");
    }

    @Test
    void escapedStringsAreDecoded() {
        String json = INCLUSION.replace("}", ",\"checkpoint\":\"\\u2014 \\\"q\\\" \\\\ \\/ \\n \\ud83d\\ude00\"}");
        assertThat(ProofJson.parse(json).checkpoint()).contains("\u2014 \"q\" \\ / \n \ud83d\ude00");
    }
}
