package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** C2SP tlog-checkpoint note text. */
class CheckpointTest {
    static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    @Test
    void specExampleBodyParses() {
        Checkpoint c = Checkpoint.parse("example.com/behind-the-sofa\n20852163\n" + ROOT + "\n");
        assertThat(c.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(c.size()).isEqualTo(20852163L);
        assertThat(Hashes.toBase64(c.rootHash())).isEqualTo(ROOT);
        assertThat(c.extensionLines()).isEmpty();
    }

    @Test
    void bodyRoundTripsWithExtensionLines() {
        Checkpoint c = new Checkpoint("tally.dev/ledger", 42, Hashes.emptyRoot(), List.of("ext one", "ext-two"));
        assertThat(c.body())
                .isEqualTo("tally.dev/ledger\n42\n" + Hashes.toBase64(Hashes.emptyRoot()) + "\next one\next-two\n");
        assertThat(Checkpoint.parse(c.body())).isEqualTo(c);
    }

    @Test
    void emptyTreeSizeIsZero() {
        assertThat(Checkpoint.parse("o\n0\n" + ROOT + "\n").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "o\n1\n" + ROOT, // no final newline
                "o\n1\n", // missing root line
                "o\n", // missing size and root
                "\n1\n" + ROOT + "\n", // empty origin
                "o\n01\n" + ROOT + "\n", // leading zero
                "o\n+1\n" + ROOT + "\n", // sign
                "o\n-1\n" + ROOT + "\n", // negative
                "o\n1 \n" + ROOT + "\n", // trailing space
                "o\n9223372036854775808\n" + ROOT + "\n", // beyond a long
                "o\n1\nAAAA\n", // 3-byte root
                "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", // unpadded root
                "o\n1\n" + ROOT + "\n\n", // empty extension line
                "o\r\n1\n" + ROOT + "\n", // carriage return
            })
    void malformedBodyIsRejected(String body) {
        assertThatThrownBy(() -> Checkpoint.parse(body))
                .isInstanceOfSatisfying(
                        ProofException.class, e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED));
    }

    @Test
    void constructorRejectsMultiLineOrigin() {
        assertThatThrownBy(() -> new Checkpoint("a\nb", 1, Hashes.emptyRoot())).isInstanceOf(ProofException.class);
    }

    @Test
    void rootHashIsDefensivelyCopied() {
        byte[] root = Hashes.emptyRoot();
        Checkpoint c = new Checkpoint("o", 1, root);
        root[0] ^= 1;
        c.rootHash()[1] ^= 1;
        assertThat(c.rootHash()).isEqualTo(Hashes.emptyRoot());
    }
}
