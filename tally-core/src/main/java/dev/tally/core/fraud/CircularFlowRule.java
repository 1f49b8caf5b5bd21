package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Money that returns to where it came from: a payment from A to B that closes a chain of payments from B
 * back to A, each following the one before in time, of at most k payments in all, within a window. Only
 * payments between players of at least the minimum amount are edges. The search visits a bounded number
 * of accounts, so its cost does not grow with the economy.
 */
final class CircularFlowRule implements FraudRule {
    static final int MAX_VISITED = 512;
    private final RuleSettings.CircularFlow settings;
    private final Map<UUID, ArrayDeque<Stamped<Edge>>> out = new HashMap<>();

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
        List<String> path = new ArrayList<>();
        Set<UUID> visited = new HashSet<>();
        visited.add(p.receiver());
        if (!search(p.receiver(), p.sender(), cutoff, cutoff, settings.maxHops() - 1, path, visited)) {
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

    /** Whether a time-ordered chain of at most {@code hops} edges leads from {@code from} to {@code target}. */
    private boolean search(
            UUID from, UUID target, Instant cutoff, Instant notBefore, int hops, List<String> path, Set<UUID> visited) {
        if (hops <= 0) {
            return false;
        }
        ArrayDeque<Stamped<Edge>> edges = out.get(from);
        if (edges == null) {
            return false;
        }
        Stamped.dropBefore(edges, cutoff);
        if (hops == 1) {
            return lastHop(edges, target, notBefore, path);
        }
        for (Stamped<Edge> e : edges) {
            if (e.at().isBefore(notBefore)) {
                continue;
            }
            UUID next = e.value().to();
            if (next.equals(target)) {
                path.add(0, e.value().transactionId());
                return true;
            }
            if (visited.size() >= MAX_VISITED || !visited.add(next)) {
                continue;
            }
            if (search(next, target, cutoff, e.at(), hops - 1, path, visited)) {
                path.add(0, e.value().transactionId());
                return true;
            }
        }
        return false;
    }

    /**
     * The last hop only has to reach {@code target}: the accounts it reaches otherwise are not entered into
     * the visited set, since they could not be searched from here anyway. Marking them was most of the
     * search's cost on a busy ledger, and blocked them from being searched where they had hops left.
     */
    private static boolean lastHop(ArrayDeque<Stamped<Edge>> edges, UUID target, Instant notBefore, List<String> path) {
        for (Stamped<Edge> e : edges) {
            if (!e.at().isBefore(notBefore) && e.value().to().equals(target)) {
                path.add(0, e.value().transactionId());
                return true;
            }
        }
        return false;
    }

    @Override
    public void record(Payment p) {
        if (edge(p)) {
            out.computeIfAbsent(p.sender(), s -> new ArrayDeque<>())
                    .addLast(new Stamped<>(p.at(), new Edge(p.receiver(), p.transactionId())));
        }
    }

    @Override
    public void sweep(Instant now) {
        Stamped.sweep(out, now.minus(settings.window()));
    }

    @Override
    public int size() {
        return out.size();
    }

    private record Edge(UUID to, String transactionId) {}
}
