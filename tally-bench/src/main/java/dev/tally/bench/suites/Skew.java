package dev.tally.bench.suites;

import java.util.random.RandomGenerator;

/**
 * How a benchmark's transfers choose their accounts: evenly, or Zipf-distributed (exponent 1) so that a
 * few accounts take part in most transfers, the hot-account case that serialises a naive ledger.
 */
enum Skew {
    UNIFORM,
    ZIPF;

    /** A sampler of account indexes in {@code [0, n)}; {@code seed} shuffles which accounts are the hot ones. */
    Picker picker(int n, long seed) {
        return switch (this) {
            case UNIFORM -> r -> r.nextInt(n);
            case ZIPF -> new Zipf(n, 1.0, seed);
        };
    }

    /** Picks account indexes; thread-safe, the randomness comes from the caller. */
    @FunctionalInterface
    interface Picker {
        int pick(RandomGenerator random);

        /** Two different accounts: a sender and a receiver. */
        default int[] pair(RandomGenerator random) {
            int from = pick(random);
            int to = pick(random);
            while (to == from) {
                to = pick(random);
            }
            return new int[] {from, to};
        }
    }

    /** Rank k (1-based) has probability proportional to 1/k^s; ranks are mapped to shuffled accounts. */
    private static final class Zipf implements Picker {
        private final double[] cumulative;
        private final int[] accountOfRank;

        Zipf(int n, double exponent, long seed) {
            cumulative = new double[n];
            double sum = 0;
            for (int k = 1; k <= n; k++) {
                sum += 1.0 / Math.pow(k, exponent);
                cumulative[k - 1] = sum;
            }
            for (int k = 0; k < n; k++) {
                cumulative[k] /= sum;
            }
            accountOfRank = new int[n];
            for (int i = 0; i < n; i++) {
                accountOfRank[i] = i;
            }
            java.util.Random shuffle = new java.util.Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = accountOfRank[i];
                accountOfRank[i] = accountOfRank[j];
                accountOfRank[j] = t;
            }
        }

        @Override
        public int pick(RandomGenerator random) {
            int rank = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
            rank = rank >= 0 ? rank : Math.min(-rank - 1, cumulative.length - 1);
            return accountOfRank[rank];
        }
    }
}
