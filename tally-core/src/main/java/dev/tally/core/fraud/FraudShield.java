package dev.tally.core.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The fraud rules of a {@link FraudPolicy} with their windows. The engine asks it about each payment it
 * decides ({@link #assess}) and tells it each payment that takes effect ({@link #record}), so the rules
 * see the batch being decided as well as what committed. Its state is a function of the payments recorded,
 * in order: rebuilt from the recent ledger after a restart or whenever the writer's view of the ledger was
 * reset, it decides as before. Memory holds only what the open windows need: a sweep drops the accounts
 * whose windows are empty. A sweep walks every key, so it runs only once the keys held have doubled since
 * the last one left them (and at least a few thousand payments later): its cost per payment then stays
 * constant however many accounts are active, and the keys held stay within about twice those the open
 * windows need. A sweep never changes a decision, since each rule ignores what is outside its window
 * whether swept or not. Not thread-safe: the sequencer's writer thread uses it.
 */
public final class FraudShield {
    private static final int SWEEP_EVERY = 4096;
    private final FraudPolicy policy;
    private final List<FraudRule> rules;
    /** Each running rule's lookback by name: how long a flag of it stays under review. */
    private final Map<String, Duration> lookbacks = new HashMap<>();
    /** When each (rule, account) was last flagged: a repeat within the rule's window opens no new event. */
    private final Map<Flagged, Instant> flagged = new HashMap<>();

    /** A flag that would repeat one under review: the rules skip putting its finding together. */
    private final FraudRule.Review underReview =
            (rule, account, at) -> rule.settings().action() == FraudAction.FLAG
                    && alreadyFlagged(rule.settings().name(), account, at);

    private int sinceSweep;
    /** How many keys the shield holds when the next sweep is due: twice what the last sweep left. */
    private int sweepAtSize;

    public FraudShield(FraudPolicy policy) {
        this.policy = policy;
        this.rules = rulesOf(policy);
        for (FraudRule r : rules) {
            lookbacks.putIfAbsent(r.settings().name(), r.settings().lookback());
        }
    }

    private static List<FraudRule> rulesOf(FraudPolicy p) {
        List<FraudRule> all = List.of(
                new VelocityCountRule(p.velocityCount()),
                new SingleAmountRule(p.singleAmount()),
                new VelocityVolumeRule(p.velocityVolume()),
                new AmountAnomalyRule(p.amountAnomaly()),
                new NewAccountRule(p.newAccount()),
                new PassThroughRule(p.passThrough()),
                new FanInRule(p.fanIn()),
                new CircularFlowRule(p.circularFlow()),
                new SharedOriginRule(p.sharedOrigin()));
        return all.stream().filter(r -> r.settings().enabled()).toList();
    }

    public FraudPolicy policy() {
        return policy;
    }

    /** Whether any rule runs (when none does, the engine need not build payments for it). */
    public boolean active() {
        return !rules.isEmpty();
    }

    /**
     * What the rules find about {@code payment}, strongest action first (then in rule order). A flag repeated
     * for the same rule and account within the rule's window is left out: it is already under review.
     */
    public List<Finding> assess(Payment payment) {
        List<Finding> findings = new ArrayList<>(0);
        for (FraudRule rule : rules) {
            Optional<Finding> f = rule.check(payment, underReview);
            if (f.isPresent() && !(f.get().action() == FraudAction.FLAG && alreadyFlagged(f.get(), payment.at()))) {
                findings.add(f.get());
            }
        }
        if (findings.size() > 1) {
            findings.sort(Comparator.comparing(Finding::action).reversed());
        }
        return findings;
    }

    private boolean alreadyFlagged(Finding f, Instant now) {
        return alreadyFlagged(f.rule(), f.account(), now);
    }

    private boolean alreadyFlagged(String rule, UUID account, Instant now) {
        Instant last = flagged.get(new Flagged(rule, account));
        return last != null && !last.plus(lookback(rule)).isBefore(now);
    }

    private Duration lookback(String rule) {
        return lookbacks.getOrDefault(rule, Duration.ZERO);
    }

    /** Remembers that flags were opened for these findings (they take effect with their payment). */
    public void flagged(List<Finding> findings, Instant at) {
        for (Finding f : findings) {
            if (f.action() == FraudAction.FLAG) {
                flagged.put(new Flagged(f.rule(), f.account()), at);
            }
        }
    }

    /**
     * Remembers the flags that events already opened (read back from the store with the windows), so that
     * a repeat within the rule's window opens no second event after a restart either. Reviewed events
     * count too: without a restart, a flag dismissed within the window is not opened again.
     */
    public void rememberFlags(Iterable<FraudEvent> events) {
        for (FraudEvent e : events) {
            if (e.action() == FraudAction.FLAG) {
                flagged.merge(new Flagged(e.rule(), e.account()), e.createdAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
    }

    /** Takes in a payment that takes effect, in ledger order. */
    public void record(Payment payment) {
        for (FraudRule rule : rules) {
            rule.record(payment);
        }
        if (sinceSweep < SWEEP_EVERY) {
            sinceSweep++;
        }
        if (sinceSweep >= SWEEP_EVERY && size() >= sweepAtSize) {
            sinceSweep = 0;
            sweep(payment.at());
            sweepAtSize = 2 * size();
        }
    }

    /** Drops everything no window open at {@code now} needs. */
    public void sweep(Instant now) {
        for (FraudRule rule : rules) {
            rule.sweep(now);
        }
        Iterator<Map.Entry<Flagged, Instant>> it = flagged.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Flagged, Instant> e = it.next();
            if (e.getValue().plus(lookback(e.getKey().rule())).isBefore(now)) {
                it.remove();
            }
        }
    }

    /** How many keys the windows hold in all: bounded by the accounts active within the windows. */
    public int size() {
        int keys = flagged.size();
        for (FraudRule rule : rules) {
            keys += rule.size();
        }
        return keys;
    }

    /** A fresh shield with the same policy: what a rebuild from the ledger starts from. */
    public FraudShield empty() {
        return new FraudShield(policy);
    }

    private record Flagged(String rule, UUID account) {}
}
