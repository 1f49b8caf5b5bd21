package dev.tally.verify;

import static dev.tally.verify.MemoryLog.RFC_LEAVES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known answers for the RFC 6962 reference tree (transparency-dev/merkle testonly/constants.go). */
class ReferenceTreeTest {
    /** Root of the first i leaves of RFC_LEAVES, i = 0..8. */
    static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static IntStream sizes() {
        return IntStream.rangeClosed(0, 8);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void referenceModelRootMatchesPublishedRoot(int size) {
        assertThat(Hashes.toHex(MerkleTree.root(RFC_LEAVES.subList(0, size)))).isEqualTo(ROOTS.get(size));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void storedHashTreeHashMatchesPublishedRoot(int size) {
        MemoryLog log = MemoryLog.of(RFC_LEAVES);
        assertThat(Hashes.toHex(StoredHashes.treeHash(size, log))).isEqualTo(ROOTS.get(size));
    }

    @Test
    void emptyRootIsSha256OfNothing() {
        assertThat(Hashes.toHex(Hashes.emptyRoot())).isEqualTo(ROOTS.get(0));
    }

    @Test
    void storedLeafAndLevelOneHashesMatchPublishedNodeHashes() {
        MemoryLog log = MemoryLog.of(RFC_LEAVES);
        assertThat(Hashes.toHex(log.stored.get((int) StoredHashes.storedHashIndex(0, 1))))
                .isEqualTo("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
        assertThat(Hashes.toHex(log.stored.get((int) StoredHashes.storedHashIndex(1, 3))))
                .isEqualTo("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
        assertThat(Hashes.toHex(log.stored.get((int) StoredHashes.storedHashIndex(2, 1))))
                .isEqualTo("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void treeHashReadsAtMostOnePlusLogNHashesInOneCall() {
        MemoryLog log = MemoryLog.of(RFC_LEAVES.subList(0, 7));
        List<long[]> calls = new java.util.ArrayList<>();
        StoredHashes.treeHash(7, indexes -> {
            calls.add(indexes);
            return log.readHashes(indexes);
        });
        assertThat(calls)
                .singleElement()
                .satisfies(indexes -> assertThat(indexes).hasSize(3)); // [0,4) [4,6) [6,7)
    }
}
