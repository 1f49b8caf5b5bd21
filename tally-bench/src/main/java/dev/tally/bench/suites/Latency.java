package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds, from an HdrHistogram of microsecond values. */
record Latency(long count, long p50, long p99, long p999, long max) {
    static Latency of(Histogram h) {
        return new Latency(
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue());
    }

    ObjectNode json() {
        ObjectNode n = Views.object();
        n.put("count", count);
        n.put("p50_us", p50);
        n.put("p99_us", p99);
        n.put("p999_us", p999);
        n.put("max_us", max);
        return n;
    }

    String text() {
        return "p50 " + Format.millis(p50) + ", p99 " + Format.millis(p99) + ", p99.9 " + Format.millis(p999) + ", max "
                + Format.millis(max);
    }
}
