package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import java.util.Arrays;
import java.util.List;

/** The median and range of a figure over the measured rounds: the median is the figure, the range its noise. */
record Spread(double median, double min, double max, List<Double> rounds) {
    Spread {
        rounds = List.copyOf(rounds);
    }

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a spread needs at least one round");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Spread(median, v[0], v[v.length - 1], values);
    }

    /** Relative spread, (max - min) / median. */
    double relativeRange() {
        return median == 0 ? 0 : (max - min) / median;
    }

    ObjectNode json() {
        ObjectNode n = Views.object();
        n.put("median", round(median));
        n.put("min", round(min));
        n.put("max", round(max));
        ArrayNode all = n.putArray("rounds");
        rounds.forEach(r -> all.add(round(r)));
        return n;
    }

    /** "35,210 (30,100-38,000)". */
    String text() {
        return Format.count(median) + " (" + Format.count(min) + "-" + Format.count(max) + ")";
    }

    /** Rates keep one decimal; small figures such as seconds keep four significant digits. */
    private static double round(double v) {
        if (Math.abs(v) >= 100 || v == 0) {
            return Math.round(v * 10) / 10.0;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    static Spread single(double v) {
        return of(Arrays.asList(v));
    }
}
