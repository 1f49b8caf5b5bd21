package dev.tally.store.export;

import com.fasterxml.jackson.core.JsonFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The export file, version 1 (docs/FORMAT.md, "Export"): JSON Lines, one record per line, each an object
 * whose first field is {@code "record"}. Records come in this order: one {@code header}, the
 * {@code checkpoint}s (smallest first), the {@code account}s, the {@code entry}s (seq 1, 2, ... with
 * every column of {@code ledger_entries}), the stored state ({@code balance}, {@code treasury_total},
 * {@code supply}, {@code controls}) and one {@code end}. Amounts are decimal strings with the currency's
 * scale, times ISO-8601 UTC with exactly six decimals (the stored microseconds), hashes lower-case hex.
 * This class holds the names and the strict codecs both directions share.
 */
final class ExportFormat {
    static final String FORMAT = "tally-export";
    static final int VERSION = 1;
    static final JsonFactory JSON = new JsonFactory();

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The record kinds, in the order a file must hold them. */
    enum Kind {
        HEADER,
        CHECKPOINT,
        ACCOUNT,
        ENTRY,
        BALANCE,
        TREASURY_TOTAL,
        SUPPLY,
        CONTROLS,
        END;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String wire) {
            for (Kind k : values()) {
                if (k.wire().equals(wire)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown record \"" + wire + "\"");
        }
    }

    private ExportFormat() {}

    /** A stored time as the file writes it, e.g. {@code 2026-02-11T14:23:00.123456Z}. */
    static String time(Instant t) {
        return TIME.format(t);
    }

    /**
     * Parses exactly the form {@link #time} writes, to microseconds since the epoch, without allocating.
     *
     * @throws IllegalArgumentException for anything else
     */
    static long micros(String s) {
        if (s.length() != 27) {
            throw new IllegalArgumentException("time must be like 2026-02-11T14:23:00.123456Z: " + abbreviate(s));
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return micros(b, 0, b.length);
    }

    /** {@link #micros(String)} on the bytes {@code b[off, off + len)}. */
    static long micros(byte[] b, int off, int len) {
        if (len != 27
                || b[off + 4] != '-'
                || b[off + 7] != '-'
                || b[off + 10] != 'T'
                || b[off + 13] != ':'
                || b[off + 16] != ':'
                || b[off + 19] != '.'
                || b[off + 26] != 'Z') {
            throw new IllegalArgumentException("time must be like 2026-02-11T14:23:00.123456Z: "
                    + abbreviate(new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
        int year = digits(b, off, 4);
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        int hour = digits(b, off + 11, 2);
        int minute = digits(b, off + 14, 2);
        int second = digits(b, off + 17, 2);
        int fraction = digits(b, off + 20, 6);
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException(
                    "time out of range: " + new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return epochDay(year, month, day) * MICROS_PER_DAY
                + ((hour * 60L + minute) * 60 + second) * 1_000_000L
                + fraction;
    }

    /** Days since 1970-01-01, with the last date remembered per thread: an export's entries come a day at a time. */
    private static long epochDay(int year, int month, int day) {
        int key = (year * 16 + month) * 32 + day;
        long[] last = LAST_DAY.get();
        if (last[0] == key) {
            return last[1];
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("no such date: " + year + "-" + month + "-" + day, e);
        }
        last[0] = key;
        last[1] = days;
        return days;
    }

    private static final ThreadLocal<long[]> LAST_DAY = ThreadLocal.withInitial(() -> new long[] {-1, 0});

    /** An amount of minor units as the file writes it: the currency's scale, e.g. {@code 10.00}, {@code -0.10}. */
    static String amount(long minor, int scale) {
        return dev.tally.core.money.Money.format(minor, scale);
    }

    /**
     * Parses exactly the form {@link #amount} writes: an optional minus, digits without leading zeros, and
     * for a scale above 0 a point and exactly {@code scale} digits.
     *
     * @throws IllegalArgumentException for anything else, or a value beyond a long
     */
    static long minor(String s, int scale) {
        int n = s.length();
        int i = 0;
        boolean negative = n > 0 && s.charAt(0) == '-';
        if (negative) {
            i = 1;
        }
        int point = scale == 0 ? n : n - scale - 1;
        if (point <= i || (scale > 0 && s.charAt(point) != '.') || (point - i > 1 && s.charAt(i) == '0')) {
            throw new IllegalArgumentException(
                    "amount must be a decimal with " + scale + " decimals: " + abbreviate(s));
        }
        long value = 0;
        try {
            for (int k = i; k < n; k++) {
                if (k == point) {
                    continue;
                }
                char c = s.charAt(k);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException(
                            "amount must be a decimal with " + scale + " decimals: " + abbreviate(s));
                }
                value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount is too large: " + abbreviate(s), e);
        }
        if (negative && value == 0) {
            throw new IllegalArgumentException("amount must not be negative zero: " + s);
        }
        return negative ? -value : value;
    }

    private static int digits(byte[] b, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                throw new IllegalArgumentException("time must be like 2026-02-11T14:23:00.123456Z");
            }
            v = v * 10 + c;
        }
        return v;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 57) + "...\"";
    }
}
