package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Money that returns to where it came from: a payment from A to B that closes a chain of payments from B
 * back to A, each following the one before in time, of at most k payments in all, within a window. Only
 * payments between players of at least the minimum amount are edges. The search visits a bounded number
 * of accounts, so its cost does not grow with the economy.
 *
 * <p>Besides each account's outgoing payments the rule keeps, per account, the accounts that paid it
 * within the window (the latest such payment of each). Every chain ends with a payment into A, so a
 * search for an origin nobody paid stops at once, which is most payments of a real economy; and the
 * chain's last hop is one lookup instead of a scan of an account's payments.
 */
final class CircularFlowRule implements FraudRule {
    static final int MAX_VISITED = 512;
    private final RuleSettings.CircularFlow settings;
    private final Map<UUID, ArrayDeque<Stamped<Edge>>> out = new HashMap<>();
    private final Map<UUID, Payers> in = new HashMap<>();

    CircularFlowRule(RuleSettings.CircularFlow settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    private boolean edge(Payment p) {
        return !p.senderFacts().system() && !p.receiverFacts().system() && p.amountMinor() >= settings.minAmountMinor();
    }

    @Override
    public Optional<Finding> check(Payment p) {
        if (!edge(p)) {
            return Optional.empty();
        }
        Instant cutoff = p.at().minus(settings.window());
        Payers payers = in.get(p.sender());
        if (payers == null || payers.latest.isBefore(cutoff)) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>();
        Search search = new Search(p.sender(), payers, cutoff);
        search.firstReach(p.receiver(), cutoff, settings.maxHops() - 1);
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
        private final UUID target;
        private final Payers payers;
        private final Instant cutoff;
        private final Map<UUID, Instant[]> reached = new HashMap<>();

        Search(UUID target, Payers payers, Instant cutoff) {
            this.target = target;
            this.payers = payers;
            this.cutoff = cutoff;
        }

        /** Whether a chain of at most {@code hops} payments at or after {@code notBefore} leads to the target. */
        boolean from(UUID account, Instant notBefore, int hops, List<String> path) {
            if (hops == 1) {
                return closes(account, notBefore, path);
            }
            ArrayDeque<Stamped<Edge>> edges = out.get(account);
            if (edges == null) {
                return false;
            }
            Stamped.dropBefore(edges, cutoff);
            for (Stamped<Edge> e : edges) {
                if (e.at().isBefore(notBefore)) {
                    continue;
                }
                UUID next = e.value().to();
                boolean found = next.equals(target)
                        || (hops == 2
                                ? closes(next, e.at(), path)
                                : firstReach(next, e.at(), hops - 1) && from(next, e.at(), hops - 1, path));
                if (found) {
                    path.add(0, e.value().transactionId());
                    return true;
                }
            }
            return false;
        }

        /** The last hop: whether {@code account} paid the target at or after {@code notBefore}. */
        private boolean closes(UUID account, Instant notBefore, List<String> path) {
            Stamped<Edge> last = payers.latestFrom(account);
            if (last == null || last.at().isBefore(notBefore)) {
                return false;
            }
            path.add(0, last.value().transactionId());
            return true;
        }

        /** Whether no earlier visit of {@code account} dominates this one, recording it if so. */
        private boolean firstReach(UUID account, Instant at, int hops) {
            Instant[] best = reached.get(account);
            if (best == null) {
                if (reached.size() >= MAX_VISITED) {
                    return false;
                }
                best = new Instant[settings.maxHops()];
                reached.put(account, best);
            } else {
                for (int h = hops; h < best.length; h++) {
                    Instant seen = best[h];
                    if (seen != null && !seen.isAfter(at)) {
                        return false;
                    }
                }
            }
            best[hops] = at;
            return true;
        }
    }

    @Override
    public void record(Payment p) {
        if (edge(p)) {
            Stamped<Edge> stamped = new Stamped<>(p.at(), new Edge(p.receiver(), p.transactionId()));
            out.computeIfAbsent(p.sender(), s -> new ArrayDeque<>()).addLast(stamped);
            in.computeIfAbsent(p.receiver(), r -> new Payers()).add(p.sender(), stamped);
        }
    }

    @Override
    public void sweep(Instant now) {
        Instant cutoff = now.minus(settings.window());
        Stamped.sweep(out, cutoff);
        in.values().removeIf(payers -> payers.dropBefore(cutoff));
    }

    @Override
    public int size() {
        return out.size() + in.size();
    }

    private record Edge(UUID to, String transactionId) {}

    /** The accounts that paid one account within the window, each with its latest payment to it. */
    private static final class Payers {
        private final Map<UUID, Stamped<Edge>> latestByPayer = new HashMap<>();
        private Instant latest = Instant.MIN;

        void add(UUID payer, Stamped<Edge> payment) {
            latestByPayer.put(payer, payment);
            latest = payment.at();
        }

        @Nullable
        Stamped<Edge> latestFrom(UUID payer) {
            return latestByPayer.get(payer);
        }

        /** Forgets the payers whose latest payment is older than {@code cutoff}; whether none is left. */
        boolean dropBefore(Instant cutoff) {
            Iterator<Stamped<Edge>> it = latestByPayer.values().iterator();
            while (it.hasNext()) {
                if (it.next().at().isBefore(cutoff)) {
                    it.remove();
                }
            }
            return latestByPayer.isEmpty();
        }
    }
}
