package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashesTest {
    @Test
    void leafHashOfEmptyInputMatchesRfcReferenceTree() {
        assertThat(Hashes.toHex(Hashes.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void nodeHashIsDomainSeparatedFromLeafHash() {
        byte[] a = Hashes.leafHash(new byte[] {1});
        byte[] concatenated = new byte[64];
        System.arraycopy(a, 0, concatenated, 0, 32);
        System.arraycopy(a, 0, concatenated, 32, 32);
        assertThat(Hashes.nodeHash(a, a)).isNotEqualTo(Hashes.leafHash(concatenated));
    }

    @Test
    void nodeHashRejectsChildOfWrongLength() {
        assertThatThrownBy(() -> Hashes.nodeHash(new byte[32], new byte[33]))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("right child must be 32 bytes");
    }

    @Test
    void emptyRootReturnsAFreshCopy() {
        Hashes.emptyRoot()[0] ^= 1;
        assertThat(Hashes.toHex(Hashes.emptyRoot())).startsWith("e3b0c442");
    }

    @Test
    void hexRoundTripsAndRejectsOddLength() {
        assertThat(Hashes.fromHex(Hashes.toHex(new byte[] {0, (byte) 0xab}))).containsExactly(0, 0xab);
        assertThatThrownBy(() -> Hashes.fromHex("abc")).isInstanceOf(ProofException.class);
    }

    @Test
    void base64DecodingRejectsMissingPaddingAndNonCanonicalTrailingBits() {
        assertThat(Hashes.fromBase64("AAE=")).containsExactly(0, 1);
        assertThatThrownBy(() -> Hashes.fromBase64("AAE")).isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> Hashes.fromBase64("AAF=")).isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> Hashes.fromBase64("AA E=")).isInstanceOf(ProofException.class);
    }

    @Test
    void hashFromBase64RequiresExactly32Bytes() {
        assertThatThrownBy(() -> Hashes.hashFromBase64(Hashes.toBase64(new byte[31])))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("32 bytes");
    }
}
