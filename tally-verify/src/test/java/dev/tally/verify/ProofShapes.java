package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Test oracle: the hashing "shape" of a claim, computed from the recursive RFC 9162 PATH / SUBPROOF
 * definitions (independently of the iterative verifiers). Two claims with the same shape hash a proof
 * identically, so a verifier must accept a mutated claim exactly when its shape is unchanged.
 */
final class ProofShapes {
    private ProofShapes() {}

    /** Sibling sides, leaf first, of PATH(m, D[n]); null when m is not a leaf of a tree of size n. */
    static List<String> inclusion(long m, long n) {
        if (n <= 0 || m < 0 || m >= n) {
            return null;
        }
        List<String> ops = new ArrayList<>();
        path(m, 0, n, ops);
        return ops;
    }

    /** Seed kind then sibling sides of PROOF(m, D[n]); null when m &gt; n or either is negative. */
    static List<String> consistency(long m, long n) {
        if (m < 0 || n < 0 || m > n) {
            return null;
        }
        if (m == n) {
            return List.of("EQUAL");
        }
        if (m == 0) {
            return List.of("EMPTY");
        }
        List<String> ops = new ArrayList<>();
        subproof(m, 0, n, true, ops);
        return ops;
    }

    private static void path(long m, long lo, long hi, List<String> ops) {
        if (hi - lo == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (m < lo + k) {
            path(m, lo, lo + k, ops);
            ops.add("RIGHT");
        } else {
            path(m, lo + k, hi, ops);
            ops.add("LEFT");
        }
    }

    private static void subproof(long m, long lo, long hi, boolean b, List<String> ops) {
        if (m == hi) {
            ops.add(b ? "SEED_OLD_ROOT" : "SEED_NODE");
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (m <= lo + k) {
            subproof(m, lo, lo + k, b, ops);
            ops.add("RIGHT");
        } else {
            subproof(m, lo + k, hi, false, ops);
            ops.add("LEFT");
        }
    }

    private static long largestPowerOfTwoBelow(long n) {
        long k = 1;
        while (k <= (n - 1) / 2) {
            k <<= 1;
        }
        return k;
    }
}
