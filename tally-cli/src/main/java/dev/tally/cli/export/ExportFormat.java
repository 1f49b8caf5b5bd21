package dev.tally.cli.export;

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

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The record kinds, in the order a file must hold them. */
    enum Kind {
        HEADER, CHECKPOINT, ACCOUNT, ENTRY, BALANCE, TREASURY_TOTAL, SUPPLY, CONTROLS, END;

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

    private ExportFormat() {
    }

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
        if (s.length() != 27 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(26) != 'Z') {
            throw new IllegalArgumentException("time must be like 2026-02-11T14:23:00.123456Z: " + abbreviate(s));
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int fraction = digits(s, 20, 6);
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("time out of range: " + s);
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("no such date: " + s, e);
        }
        return days * MICROS_PER_DAY + ((hour * 60L + minute) * 60 + second) * 1_000_000L + fraction;
    }

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
            throw new IllegalArgumentException("amount must be a decimal with " + scale + " decimals: " + abbreviate(s));
        }
        long value = 0;
        try {
            for (int k = i; k < n; k++) {
                if (k == point) {
                    continue;
                }
                char c = s.charAt(k);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("amount must be a decimal with " + scale + " decimals: " + abbreviate(s));
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

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("time must be like 2026-02-11T14:23:00.123456Z: " + abbreviate(s));
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 57) + "...\"";
    }
}
