package dev.tally.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    private static final long MAX_MILLIS = (1L << 48) - 1;

    @Test
    void aFreshIdIsAVersion7UuidOfTheIetfVariant() {
        UUID id = TimeOrderedIds.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void aFreshIdCarriesTheTimeItWasMadeAt() {
        long before = System.currentTimeMillis();
        UUID id = TimeOrderedIds.next();
        long after = System.currentTimeMillis();

        assertThat(TimeOrderedIds.unixMillis(id)).isBetween(before, after);
    }

    @Test
    void eachFreshIdSortsAfterTheOneBeforeIt() {
        String previous = TimeOrderedIds.next().toString();
        for (int i = 0; i < 100_000; i++) {
            String id = TimeOrderedIds.next().toString();

            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
    }

    @Test
    void freshIdsMadeByManyThreadsAreDistinct() throws InterruptedException {
        Set<UUID> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // the same random bits for every id: only the time and its counter can tell them apart
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    ids.add(TimeOrderedIds.next(new SplittableRandom(1)));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(ids).hasSize(40_000);
    }

    @Test
    void idsMadeInTheSameMillisecondDiffer() {
        SplittableRandom random = new SplittableRandom(7);
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.of(1_700_000_000_000L, random));
        }

        assertThat(ids).hasSize(10_000);
    }

    @Property
    void anIdMadeLaterSortsLaterAsText(
            @ForAll @LongRange(min = 0, max = MAX_MILLIS - 1) long earlier,
            @ForAll @LongRange(min = 1, max = MAX_MILLIS) long gap,
            @ForAll long seed) {
        long later = Math.min(MAX_MILLIS, earlier + gap);
        SplittableRandom random = new SplittableRandom(seed);

        String first = TimeOrderedIds.of(earlier, random).toString();
        String second = TimeOrderedIds.of(later, random).toString();

        assertThat(first).isLessThan(second);
    }

    @Property
    void theTimeReadBackIsTheTimeGiven(@ForAll @LongRange(min = 0, max = MAX_MILLIS) long millis, @ForAll long seed) {
        UUID id = TimeOrderedIds.of(millis, new SplittableRandom(seed));

        assertThat(TimeOrderedIds.unixMillis(id)).isEqualTo(millis);
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void aTimeOutside48BitsIsRefused() {
        assertThatThrownBy(() -> TimeOrderedIds.of(-1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeOrderedIds.of(1L << 48, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTimeOfARandomUuidIsNotRead() {
        assertThatThrownBy(() -> TimeOrderedIds.unixMillis(UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
