package dev.tally.server.console;

import dev.tally.core.audit.VerificationRun;
import java.util.List;
import java.util.Locale;

/**
 * The timing chart of the verification history, drawn on the server as inline SVG (no script, no style
 * attribute: the CSP allows neither inline): {@code duration_ms} per run, oldest left, failed runs marked.
 */
final class Chart {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 220;
    private static final int PAD = 40;

    private Chart() {}

    static String svg(List<VerificationRun> oldestFirst) {
        Html h = new Html();
        h.raw("<svg id=\"timing-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT
                + "\" role=\"img\" aria-label=\"verification_time_ms over time\">");
        if (oldestFirst.isEmpty()) {
            h.raw("<text x=\"" + PAD + "\" y=\"" + HEIGHT / 2
                    + "\" fill=\"#666\">no verification recorded yet</text></svg>");
            return h.toString();
        }
        long max = Math.max(
                1,
                oldestFirst.stream()
                        .mapToLong(VerificationRun::durationMs)
                        .max()
                        .orElse(1));
        int n = oldestFirst.size();
        double plotW = WIDTH - 2.0 * PAD;
        double plotH = HEIGHT - 2.0 * PAD;
        h.raw(line(PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD) + line(PAD, PAD, PAD, HEIGHT - PAD));
        h.raw(label(4, PAD + 4, max + " ms") + label(4, HEIGHT - PAD, "0 ms"));
        h.raw(label(PAD, HEIGHT - 8, oldestFirst.get(0).startedAt().toString()));
        h.raw(label(
                WIDTH - PAD - 190,
                HEIGHT - 8,
                oldestFirst.get(n - 1).startedAt().toString()));
        StringBuilder points = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < n; i++) {
            VerificationRun r = oldestFirst.get(i);
            double x = PAD + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
            double y = HEIGHT - PAD - plotH * r.durationMs() / max;
            points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            String title = "<title>"
                    + Html.escape(r.startedAt() + " " + r.kind().name() + " " + r.durationMs() + " ms "
                            + (r.valid() ? "valid" : "FAILED"))
                    + "</title>";
            if (r.valid()) {
                marks.append("<circle class=\"run-ok\" cx=\"" + fmt(x) + "\" cy=\"" + fmt(y)
                        + "\" r=\"3\" fill=\"#2b7a3d\">" + title + "</circle>");
            } else {
                marks.append("<rect class=\"run-failed\" x=\"" + fmt(x - 5) + "\" y=\"" + fmt(y - 5)
                        + "\" width=\"10\" height=\"10\" fill=\"#c0392b\">" + title + "</rect>");
            }
        }
        h.raw("<polyline fill=\"none\" stroke=\"#3465a4\" stroke-width=\"1.5\" points=\""
                + points.toString().strip() + "\"/>");
        h.raw(marks.toString()).raw("</svg>");
        return h.toString();
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#999\"/>";
    }

    private static String label(int x, int y, String text) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"11\" fill=\"#555\">" + Html.escape(text) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
