package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Money that returns to where it came from: a payment from A to B that closes a chain of payments from B
 * back to A, each following the one before in time, of at most k payments in all, within a window. Only
 * payments between players of at least the minimum amount are edges. The search visits a bounded number
 * of accounts, so its cost does not grow with the economy.
 *
 * <p>The rule keeps each account's payments both ways: those it sent and those it received within the
 * window. Every chain ends with a payment into A, so a search for an origin nobody paid stops at once
 * (most payments of a real economy), and the chain's last hop is a lookup in A's payers instead of a
 * scan of each account's payments. The payments are kept in flat arrays, since on a busy ledger the
 * search's cost is reading them from memory, not comparing them.
 */
final class CircularFlowRule implements FraudRule {
    static final int MAX_VISITED = 512;
    private final RuleSettings.CircularFlow settings;
    private final Map<UUID, Links> out = new HashMap<>();
    private final Map<UUID, Links> in = new HashMap<>();
    /** The tables of one search, reused by the next: a search on a busy window allocates nothing. */
    private final LatestFrom latestFrom = new LatestFrom();

    private final Visits visits;

    CircularFlowRule(RuleSettings.CircularFlow settings) {
        this.settings = settings;
        this.visits = new Visits(settings.maxHops());
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    private boolean edge(Payment p) {
        return !p.senderFacts().system() && !p.receiverFacts().system() && p.amountMinor() >= settings.minAmountMinor();
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (!edge(p)) {
            return Optional.empty();
        }
        long cutoff = nanos(p.at().minus(settings.window()));
        Links payers = in.get(p.sender());
        if (payers == null || payers.dropBefore(cutoff) == 0) {
            return Optional.empty();
        }
        // Whatever the search found would be a repeat flag, left out: so it need not run.
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>();
        latestFrom.fill(payers);
        visits.clear();
        Search search = new Search(p.sender(), cutoff);
        UUID receiver = p.receiver();
        search.firstReach(
                receiver.getMostSignificantBits(), receiver.getLeastSignificantBits(), cutoff, settings.maxHops() - 1);
        if (!search.from(p.receiver(), cutoff, settings.maxHops() - 1, path)) {
            return Optional.empty();
        }
        List<String> txIds = new ArrayList<>(path);
        txIds.add(p.transactionId());
        return Optional.of(finding(
                p,
                p.sender(),
                txIds,
                "money returns to its origin in " + txIds.size() + " payments within " + settings.window()
                        + " (at most " + settings.maxHops() + ")"));
    }

    /**
     * One search for a time-ordered chain back to {@code target}. An account reached again no earlier and
     * with no more hops left than before is not searched again: whatever chain it could start, the earlier
     * visit could start too. So the search misses no chain within its budget of accounts.
     */
    private final class Search {
        private final long targetHigh;
        private final long targetLow;
        private final long cutoff;

        Search(UUID target, long cutoff) {
            this.targetHigh = target.getMostSignificantBits();
            this.targetLow = target.getLeastSignificantBits();
            this.cutoff = cutoff;
        }

        /** Whether a chain of at most {@code hops} payments at or after {@code notBefore} leads to the target. */
        boolean from(UUID account, long notBefore, int hops, List<String> path) {
            if (hops == 1) {
                return closes(account.getMostSignificantBits(), account.getLeastSignificantBits(), notBefore, path);
            }
            Links links = out.get(account);
            if (links == null || links.dropBefore(cutoff) == 0) {
                return false;
            }
            for (int i = 0; i < links.size(); i++) {
                long at = links.at(i);
                if (at < notBefore) {
                    continue;
                }
                long high = links.high(i);
                long low = links.low(i);
                boolean found;
                if (high == targetHigh && low == targetLow) {
                    found = true;
                } else if (hops == 2) {
                    found = closes(high, low, at, path);
                } else {
                    found = firstReach(high, low, at, hops - 1) && from(new UUID(high, low), at, hops - 1, path);
                }
                if (found) {
                    path.add(0, links.transactionId(i));
                    return true;
                }
            }
            return false;
        }

        /** The last hop: whether the account paid the target at or after {@code notBefore}. */
        private boolean closes(long high, long low, long notBefore, List<String> path) {
            int i = latestFrom.find(high, low);
            if (i < 0 || latestFrom.at[i] < notBefore) {
                return false;
            }
            path.add(0, latestFrom.transactionId[i]);
            return true;
        }

        /** Whether no earlier visit of the account dominates this one, recording it if so. */
        boolean firstReach(long high, long low, long at, int hops) {
            return visits.firstReach(high, low, at, hops);
        }
    }

    @Override
    public void record(Payment p) {
        if (edge(p)) {
            long at = nanos(p.at());
            out.computeIfAbsent(p.sender(), s -> new Links()).add(at, p.receiver(), p.transactionId());
            in.computeIfAbsent(p.receiver(), r -> new Links()).add(at, p.sender(), p.transactionId());
        }
    }

    @Override
    public void sweep(Instant now) {
        long cutoff = nanos(now.minus(settings.window()));
        out.values().removeIf(links -> links.dropBefore(cutoff) == 0);
        in.values().removeIf(links -> links.dropBefore(cutoff) == 0);
    }

    @Override
    public int size() {
        return out.size() + in.size();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** One account's payments one way (to or from the other account), oldest first, in a ring of arrays. */
    private static final class Links {
        private long[] at = new long[4];
        private long[] high = new long[4];
        private long[] low = new long[4];
        private String[] transactionId = new String[4];
        private int head;
        private int size;

        void add(long time, UUID other, String txId) {
            if (size == at.length) {
                grow();
            }
            int i = (head + size) & (at.length - 1);
            at[i] = time;
            high[i] = other.getMostSignificantBits();
            low[i] = other.getLeastSignificantBits();
            transactionId[i] = txId;
            size++;
        }

        private void grow() {
            int n = at.length * 2;
            long[] a = new long[n];
            long[] h = new long[n];
            long[] l = new long[n];
            String[] t = new String[n];
            for (int k = 0; k < size; k++) {
                int i = (head + k) & (at.length - 1);
                a[k] = at[i];
                h[k] = high[i];
                l[k] = low[i];
                t[k] = transactionId[i];
            }
            at = a;
            high = h;
            low = l;
            transactionId = t;
            head = 0;
        }

        /** Drops the payments older than {@code cutoff}; returns how many are left. */
        int dropBefore(long cutoff) {
            while (size > 0 && at[head] < cutoff) {
                transactionId[head] = null;
                head = (head + 1) & (at.length - 1);
                size--;
            }
            return size;
        }

        int size() {
            return size;
        }

        long at(int k) {
            return at[(head + k) & (at.length - 1)];
        }

        long high(int k) {
            return high[(head + k) & (at.length - 1)];
        }

        long low(int k) {
            return low[(head + k) & (at.length - 1)];
        }

        String transactionId(int k) {
            String t = transactionId[(head + k) & (at.length - 1)];
            if (t == null) {
                throw new IllegalStateException("no payment at " + k);
            }
            return t;
        }
    }

    /**
     * The target's payers for one search, each with its latest payment to the target: an open-addressing
     * table small enough to stay in the cache while the search looks up every account it reaches. Refilled
     * for each search; a slot counts only if it was written by the current fill.
     */
    private static final class LatestFrom {
        private long[] high = new long[0];
        private long[] low = new long[0];
        private long[] at = new long[0];
        private String[] transactionId = new String[0];
        private int[] fill = new int[0];
        private int current;
        private int mask;

        void fill(Links payers) {
            int capacity = Integer.highestOneBit(Math.max(4, payers.size() * 2) - 1) << 1;
            if (capacity > high.length) {
                high = new long[capacity];
                low = new long[capacity];
                at = new long[capacity];
                transactionId = new String[capacity];
                fill = new int[capacity];
                current = 0;
            }
            if (++current == 0) {
                Arrays.fill(fill, 0);
                current = 1;
            }
            mask = capacity - 1;
            for (int k = 0; k < payers.size(); k++) {
                long h = payers.high(k);
                long l = payers.low(k);
                int i = slot(h, l);
                // oldest first, so a later payment from the same payer overwrites an earlier one
                fill[i] = current;
                high[i] = h;
                low[i] = l;
                at[i] = payers.at(k);
                transactionId[i] = payers.transactionId(k);
            }
        }

        private boolean used(int i) {
            return fill[i] == current;
        }

        /** The slot of this payer, or of the free slot where it would go. */
        private int slot(long h, long l) {
            int i = (int) (mix(h, l) >>> 40) & mask;
            while (used(i) && (high[i] != h || low[i] != l)) {
                i = (i + 1) & mask;
            }
            return i;
        }

        /** The slot holding this payer; -1 when it did not pay the target within the window. */
        int find(long h, long l) {
            int i = slot(h, l);
            return used(i) ? i : -1;
        }
    }

    private static long mix(long h, long l) {
        return (h ^ (l * 0x9E3779B97F4A7C15L)) * 0xC2B2AE3D27D4EB4FL;
    }

    /**
     * The accounts one search has reached, each with the earliest time it was reached at for each number of
     * hops left: an open-addressing table of at most {@link #MAX_VISITED} accounts, cleared for each search
     * by starting a new generation rather than by writing every slot.
     */
    private static final class Visits {
        private static final int CAPACITY = Integer.highestOneBit(MAX_VISITED) << 1;
        private final int maxHops;
        private final long[] high = new long[CAPACITY];
        private final long[] low = new long[CAPACITY];
        private final int[] generation = new int[CAPACITY];
        /** Per slot, {@code maxHops} times: the earliest reach with that many hops left. */
        private final long[] best;

        private int current;
        private int count;

        Visits(int maxHops) {
            this.maxHops = maxHops;
            this.best = new long[CAPACITY * maxHops];
        }

        void clear() {
            if (++current == 0) {
                Arrays.fill(generation, 0);
                current = 1;
            }
            count = 0;
        }

        boolean firstReach(long h, long l, long at, int hops) {
            int i = (int) (mix(h, l) >>> 40) & (CAPACITY - 1);
            while (generation[i] == current && (high[i] != h || low[i] != l)) {
                i = (i + 1) & (CAPACITY - 1);
            }
            int base = i * maxHops;
            if (generation[i] != current) {
                if (count >= MAX_VISITED) {
                    return false;
                }
                generation[i] = current;
                high[i] = h;
                low[i] = l;
                Arrays.fill(best, base, base + maxHops, Long.MAX_VALUE);
                count++;
            } else {
                for (int k = hops; k < maxHops; k++) {
                    if (best[base + k] <= at) {
                        return false;
                    }
                }
            }
            best[base + hops] = at;
            return true;
        }
    }
}
