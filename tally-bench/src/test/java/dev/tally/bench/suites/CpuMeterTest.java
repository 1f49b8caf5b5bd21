package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** What the CPU meter of the http suite reports. */
class CpuMeterTest {
    @Test
    void cpuSpentByAThreadOfTheProcessIsCountedPerOperationAndByGroup() throws Exception {
        CpuMeter meter = CpuMeter.start();
        java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
        // A thread that has ended is no longer listed: this one stays alive until the meter has read it.
        Thread busy = Thread.ofPlatform().name("tally-sequencer-test").start(() -> {
            spin();
            spun.countDown();
            try {
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        spun.await();
        CpuMeter.Spent spent = meter.stop();
        measured.countDown();
        busy.join();

        assertThat(spent.processNanos())
                .isGreaterThanOrEqualTo(spent.byGroupNanos().get("sequencer"));
        assertThat(spent.byGroupNanos().get("sequencer")).isPositive();
        assertThat(spent.byGroupNanos())
                .containsKeys("virtual_thread_carriers", "committer", "gc", "jit", "jvm_other_and_ended");
        ObjectNode perOp = spent.perOperationJson(10);
        assertThat(perOp.get("process_us").asDouble()).isEqualTo(Math.round(spent.processNanos() / 1e3) / 10.0);
    }

    @Test
    void theTextSaysWhatRateTheCpuPerOperationAllows() {
        CpuMeter.Spent spent = new CpuMeter.Spent(
                200_000_000L, new java.util.LinkedHashMap<>(java.util.Map.of("sequencer", 200_000_000L)));

        // 200 ms over 1,000 operations is 200 µs each: 2 cores fill at 10,000/s.
        assertThat(spent.text(1_000, 2))
                .startsWith("200.0 µs CPU each (sequencer 200.0)")
                .endsWith("10,000/s would fill 2 cores");
    }

    /** About 30 ms of CPU. */
    private static void spin() {
        long end = System.nanoTime() + 30_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        assertThat(x).isNotNegative();
    }
}
