package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Happy-path vectors from transparency-dev/merkle testdata/{inclusion,consistency}/N/happy-path.json
 * (the "desc" and "wantErr" fields dropped), all over the RFC reference tree.
 */
class TransparencyDevVectorsTest {
    static final String ROOT8 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"leafIdx\":0,\"treeSize\":1,\"root\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\","
                        + "\"leafHash\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\",\"proof\":null}",
                "{\"leafIdx\":0,\"treeSize\":8,\"root\":\"" + ROOT8
                        + "\",\"leafHash\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\","
                        + "\"proof\":[\"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=\",\"Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=\","
                        + "\"a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=\"]}",
                "{\"leafIdx\":5,\"treeSize\":8,\"root\":\"" + ROOT8
                        + "\",\"leafHash\":\"QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=\","
                        + "\"proof\":[\"vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\",\"yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\","
                        + "\"037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\"]}",
                "{\"leafIdx\":2,\"treeSize\":3,\"root\":\"rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\","
                        + "\"leafHash\":\"ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=\",\"proof\":[\"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=\"]}",
                "{\"leafIdx\":1,\"treeSize\":5,\"root\":\"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\","
                        + "\"leafHash\":\"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=\",\"proof\":[\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\","
                        + "\"Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=\",\"vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\"]}"
            })
    void inclusionVectorVerifiesAndEqualsProofBuiltFromStoredHashes(String json) {
        InclusionProof vector = (InclusionProof) ProofJson.parse(json);
        MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES);
        List<byte[]> built = Proofs.proveInclusion(vector.treeSize(), vector.leafIdx(), log);

        assertThat(vector.verify()).isTrue();
        assertThat(built).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(vector.proof());
        assertThat(vector.root()).isEqualTo(StoredHashes.treeHash(vector.treeSize(), log));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"size1\":1,\"size2\":1,\"root1\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\","
                        + "\"root2\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\",\"proof\":null}",
                "{\"size1\":1,\"size2\":8,\"root1\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\",\"root2\":\""
                        + ROOT8 + "\","
                        + "\"proof\":[\"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=\",\"Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=\","
                        + "\"a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=\"]}",
                "{\"size1\":6,\"size2\":8,\"root1\":\"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=\",\"root2\":\""
                        + ROOT8 + "\","
                        + "\"proof\":[\"DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\",\"yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\","
                        + "\"037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\"]}",
                "{\"size1\":2,\"size2\":5,\"root1\":\"+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=\","
                        + "\"root2\":\"Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=\",\"proof\":[\"Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=\","
                        + "\"vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\"]}",
                "{\"size1\":6,\"size2\":7,\"root1\":\"duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=\","
                        + "\"root2\":\"3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=\",\"proof\":[\"DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\","
                        + "\"sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=\",\"037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\"]}"
            })
    void consistencyVectorVerifiesAndEqualsProofBuiltFromStoredHashes(String json) {
        ConsistencyProof vector = (ConsistencyProof) ProofJson.parse(json);
        MemoryLog log = MemoryLog.of(MemoryLog.RFC_LEAVES);
        List<byte[]> built = Proofs.proveConsistency(vector.size1(), vector.size2(), log);

        assertThat(vector.verify()).isTrue();
        assertThat(built).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(vector.proof());
        assertThat(vector.root1()).isEqualTo(StoredHashes.treeHash(vector.size1(), log));
        assertThat(vector.root2()).isEqualTo(StoredHashes.treeHash(vector.size2(), log));
    }

    @org.junit.jupiter.api.Test
    void swappedRootsVectorIsRejected() {
        ConsistencyProof vector = (ConsistencyProof) ProofJson.parse(
                "{\"size1\":1,\"size2\":8,\"root2\":\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\",\"root1\":\""
                        + ROOT8 + "\","
                        + "\"proof\":[\"lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=\",\"Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=\","
                        + "\"a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=\"]}");
        assertThat(vector.verify()).isFalse();
    }
}
