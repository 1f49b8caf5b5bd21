package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.ledger.Hash;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The anchor MAC of a verification run: the test vector of docs/FORMAT.md, and what it covers. */
class AnchorKeyTest {
    private static final AnchorKey KEY = new AnchorKey(counting());

    @Test
    void theMacOfTheFormatDocumentsTestVector() {
        VerificationRun run = run(4);

        AnchorMac mac = KEY.mac(run);

        assertThat(KEY.keyId()).isEqualTo("5baf5089");
        assertThat(mac.text()).isEqualTo("5baf5089:eb029e018ef53294444896e841642dfc2120d83381a78cfbc2da6b822714d50f");
    }

    @Test
    void aRunAuthenticatedByTheKeyVerifies() {
        assertThat(KEY.authenticates(run(4).authenticatedBy(KEY))).isTrue();
    }

    @Test
    void aRunWithoutAMacIsNotAuthenticated() {
        assertThat(KEY.authenticates(run(4))).isFalse();
    }

    @Test
    void aMacCopiedOntoARunThatClaimsMoreIsNotAuthenticated() {
        AnchorMac real = KEY.mac(run(4));
        VerificationRun forged = run(9);

        assertThat(KEY.authenticates(withMac(forged, real))).isFalse();
    }

    @Test
    void aMacByAnotherKeyIsNotAuthenticated() {
        byte[] other = counting();
        other[0] = 99;

        assertThat(KEY.authenticates(run(4).authenticatedBy(new AnchorKey(other))))
                .isFalse();
    }

    @Test
    void aKeyIsThirtyTwoBytes() {
        assertThatThrownBy(() -> new AnchorKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoredMacThatIsNotHexDoesNotParse() {
        assertThatThrownBy(() -> AnchorMac.parse("5baf5089:xyz")).isInstanceOf(IllegalArgumentException.class);
    }

    private static VerificationRun run(long toSeq) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 0xab);
        return new VerificationRun(
                UUID.fromString("00000000-0000-4000-8000-000000000001"),
                RunKind.VERIFY_FULL,
                Instant.parse("2025-12-31T23:59:59Z"),
                Instant.parse("2026-01-01T00:00:00Z"),
                1,
                toSeq,
                Optional.of(Hash.of(hash)),
                true,
                0,
                1000,
                Optional.empty());
    }

    private static VerificationRun withMac(VerificationRun r, AnchorMac mac) {
        return new VerificationRun(
                r.id(),
                r.kind(),
                r.startedAt(),
                r.finishedAt(),
                r.fromSeq(),
                r.toSeq(),
                r.lastHash(),
                r.valid(),
                r.findingsCount(),
                r.durationMs(),
                r.report(),
                Optional.of(mac));
    }

    private static byte[] counting() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        return key;
    }
}
