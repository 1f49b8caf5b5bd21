package dev.tally.cli.text;

import dev.tally.core.text.SafeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain-text table for people: a header row, columns padded to their widest cell, numbers aligned to
 * the right (a column is numeric when every cell below the header looks like a signed decimal). Cells are
 * one line each, with control and formatting characters escaped.
 */
public final class TextTable {
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9.]*%?");
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = headers.clone();
    }

    /** Adds a row; it must have one cell per header. */
    public TextTable add(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row needs " + headers.length + " cells, got " + cells.length);
        }
        // Escaped here, not when printed, so that the columns are as wide as what the terminal shows.
        rows.add(Arrays.stream(cells)
                .map(c -> SafeText.escape(String.valueOf(c).replace('\n', ' ')))
                .toArray(String[]::new));
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, lines joined by newlines, without a trailing one. */
    public String render() {
        int[] widths = new int[headers.length];
        boolean[] numeric = new boolean[headers.length];
        for (int c = 0; c < headers.length; c++) {
            widths[c] = headers[c].length();
            numeric[c] = !rows.isEmpty();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
                numeric[c] &= NUMBER.matcher(row[c]).matches();
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, numeric);
        for (String[] row : rows) {
            out.append('\n');
            line(out, row, widths, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        out.append(line.toString().stripTrailing());
    }
}
