package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** How a chain is cut into ranges for parallel verification: every position exactly once, in order. */
class RangeSplitTest {
    @org.junit.jupiter.api.Test
    void aRangeWiderThanALongCountsIsOneRange() {
        assertThat(RangeDriver.split(Long.MIN_VALUE, 100, 8)).containsExactly(new long[] {Long.MIN_VALUE, 100});
    }

    @Property
    void rangesCoverEveryPositionOnceInOrder(
            @ForAll @LongRange(min = -5, max = 3_000_000) long from,
            @ForAll @LongRange(min = 0, max = 3_000_000) long length,
            @ForAll @IntRange(min = 1, max = 64) int threads) {
        long to = from + length - 1;
        List<long[]> ranges = RangeDriver.split(from, to, threads);

        if (length == 0) {
            assertThat(ranges).isEmpty();
            return;
        }
        assertThat(ranges.get(0)[0]).isEqualTo(from);
        assertThat(ranges.get(ranges.size() - 1)[1]).isEqualTo(to);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isEqualTo(ranges.get(i - 1)[1] + 1);
        }
        assertThat(ranges).allSatisfy(r -> assertThat(r[1]).isGreaterThanOrEqualTo(r[0]));
        assertThat(ranges.size()).isLessThanOrEqualTo(Math.max(1, threads * RangeDriver.RANGES_PER_THREAD));
    }
}
