package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How a verification runs: the defaults, each option changed on its own, and the limits. */
class VerifyOptionsTest {
    @Test
    void aFullRunIsFastOnEveryCoreWithTheDefaultFindings() {
        VerifyOptions full = VerifyOptions.full();
        assertThat(full.mode()).isEqualTo(VerifyOptions.Mode.FULL);
        assertThat(full.scan()).isEqualTo(VerifyOptions.Scan.FAST);
        assertThat(full.parallelism()).isBetween(1, 64);
        assertThat(full.maxFindings()).isEqualTo(VerifyOptions.DEFAULT_MAX_FINDINGS);
        assertThat(full.progress()).isSameAs(VerifyOptions.Progress.NONE);
        assertThat(full.checkpoints()).isEmpty();
    }

    @Test
    void anIncrementalRunDiffersFromAFullOneOnlyInItsMode() {
        VerifyOptions incremental = VerifyOptions.incremental();
        assertThat(incremental.mode()).isEqualTo(VerifyOptions.Mode.INCREMENTAL);
        assertThat(incremental.withMode(VerifyOptions.Mode.FULL)).isEqualTo(VerifyOptions.full());
    }

    @Test
    void eachWitherChangesOneOption() {
        VerifyOptions.Progress listener = (verified, total) -> {};
        VerifyOptions base = VerifyOptions.full();
        assertThat(base.withParallelism(3).parallelism()).isEqualTo(3);
        assertThat(base.withMaxFindings(5).maxFindings()).isEqualTo(5);
        assertThat(base.withScan(VerifyOptions.Scan.STREAMING).scan()).isEqualTo(VerifyOptions.Scan.STREAMING);
        assertThat(base.withProgress(listener).progress()).isSameAs(listener);
        VerifyOptions changed = base.withParallelism(3).withMaxFindings(5);
        assertThat(changed.mode()).isEqualTo(base.mode());
        assertThat(changed.scan()).isEqualTo(base.scan());
    }

    @Test
    void parallelismIsOneTo64() {
        VerifyOptions base = VerifyOptions.full();
        assertThat(base.withParallelism(1).parallelism()).isEqualTo(1);
        assertThat(base.withParallelism(64).parallelism()).isEqualTo(64);
        assertThatThrownBy(() -> base.withParallelism(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-64");
        assertThatThrownBy(() -> base.withParallelism(65))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-64");
    }

    @Test
    void aReportListsAtLeastOneFinding() {
        assertThatThrownBy(() -> VerifyOptions.full().withMaxFindings(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFindings");
    }

    @Test
    void aRunKindFollowsTheMode() {
        assertThat(RunKind.of(VerifyOptions.Mode.FULL)).isEqualTo(RunKind.VERIFY_FULL);
        assertThat(RunKind.of(VerifyOptions.Mode.INCREMENTAL)).isEqualTo(RunKind.VERIFY_INCREMENTAL);
        assertThat(RunKind.VERIFY_FULL.isVerify()).isTrue();
        assertThat(RunKind.VERIFY_INCREMENTAL.isVerify()).isTrue();
        assertThat(RunKind.RECONCILE.isVerify()).isFalse();
    }
}
