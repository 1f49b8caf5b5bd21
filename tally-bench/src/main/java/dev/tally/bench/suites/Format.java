package dev.tally.bench.suites;

import java.util.Locale;

/** Numbers as the bench prints them for people. */
final class Format {
    private Format() {}

    /** A count with thousands separators: 35,210. */
    static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    /** A ratio: 29.1x. */
    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.1fx", v);
    }

    /** Microseconds as milliseconds with three decimals: 1.234 ms. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    /** Seconds with three decimals. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    /** Bytes as MiB. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
