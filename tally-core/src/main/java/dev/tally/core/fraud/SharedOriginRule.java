package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Multi-accounting: many distinct accounts sending from one origin (client address, or address and user
 * agent) within a window. Payments without a known address are not counted. The address is the one the
 * server resolved, after its trusted-proxy rule for {@code X-Forwarded-For}.
 */
final class SharedOriginRule implements FraudRule {
    private final RuleSettings.SharedOrigin settings;
    /** Per origin, its accounts in time order of their latest payment from it. */
    private final Map<String, LinkedHashMap<UUID, Stamped<String>>> origins = new HashMap<>();

    private static final int MAX_LISTED = 20;

    SharedOriginRule(RuleSettings.SharedOrigin settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    private Optional<String> origin(Payment p) {
        if (p.origin().isEmpty() || p.senderFacts().system()) {
            return Optional.empty();
        }
        return Optional.of(
                settings.byUserAgent()
                        ? p.origin().get() + " " + p.userAgent().orElse("")
                        : p.origin().get());
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        Optional<String> origin = origin(p);
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        LinkedHashMap<UUID, Stamped<String>> accounts = origins.get(origin.get());
        int distinct = 1;
        if (accounts != null) {
            prune(accounts, p.at().minus(settings.window()));
            distinct += accounts.containsKey(p.sender()) ? accounts.size() - 1 : accounts.size();
        }
        if (distinct < settings.minAccounts()) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        List<String> txIds = new ArrayList<>();
        if (accounts != null) {
            // The oldest few in the window are enough for a reviewer; listing all would cost O(n) per payment.
            accounts.values().stream().limit(MAX_LISTED).forEach(last -> txIds.add(last.value()));
        }
        txIds.add(p.transactionId());
        return Optional.of(finding(
                p,
                p.sender(),
                txIds,
                distinct + " accounts send from " + (settings.byUserAgent() ? "address and user agent " : "address ")
                        + p.origin().get() + " within " + settings.window() + " (threshold " + settings.minAccounts()
                        + ")"));
    }

    private static void prune(Map<UUID, Stamped<String>> accounts, Instant cutoff) {
        Iterator<Stamped<String>> it = accounts.values().iterator();
        while (it.hasNext() && it.next().at().isBefore(cutoff)) {
            it.remove();
        }
    }

    @Override
    public void record(Payment p) {
        Optional<String> origin = origin(p);
        if (origin.isPresent()) {
            LinkedHashMap<UUID, Stamped<String>> accounts =
                    origins.computeIfAbsent(origin.get(), o -> new LinkedHashMap<>());
            accounts.remove(p.sender());
            accounts.put(p.sender(), new Stamped<>(p.at(), p.transactionId()));
        }
    }

    @Override
    public void sweep(Instant now) {
        Instant cutoff = now.minus(settings.window());
        Iterator<LinkedHashMap<UUID, Stamped<String>>> it = origins.values().iterator();
        while (it.hasNext()) {
            LinkedHashMap<UUID, Stamped<String>> accounts = it.next();
            prune(accounts, cutoff);
            if (accounts.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public int size() {
        return origins.size();
    }
}
