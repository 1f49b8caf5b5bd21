package dev.tally.bench.suites;

import dev.tally.core.fraud.Finding;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.FraudShield;
import dev.tally.core.fraud.Payment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A seeded, reproducible synthetic game economy run through the fraud shield. Normal players buy from
 * shops, earn income from the game and trade with a small circle of friends, with heavy-tailed (Pareto)
 * activity, log-normal amounts and a daily rhythm; some share a household address. Labelled fraud is
 * injected: farm rings feeding a mule, stolen accounts drained in minutes, launder circles, multi-account
 * farms behind one address, and pass-through chains. The shield decides every payment in time order, as
 * the sequencer would; the result says which accounts the events name and which payments were refused.
 */
final class FraudEconomy {
    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    static final List<String> SCENARIOS = List.of(
            "farm_ring_mule", "stolen_account_drain", "launder_circle", "multi_account_farm", "pass_through_chain");

    /** Sizes of one run. */
    record Size(int players, int days, int instancesPerScenario) {}

    /** What the shield found over the run. */
    record Result(
            int normalPlayers,
            long normalPayments,
            Set<UUID> normalFlagged,
            long normalRefused,
            Map<String, Integer> fraudAccounts,
            Map<String, Integer> fraudCaught,
            Map<String, Long> findingsByRule,
            long payments) {}

    private final Random random;
    private final Size size;
    private final Map<UUID, Payment.AccountFacts> facts = new HashMap<>();
    private final Map<UUID, String> labels = new HashMap<>();
    private final Map<String, UUID> byTx = new HashMap<>();
    private final PriorityQueue<Planned> plan = new PriorityQueue<>();
    private final List<UUID> shops = new ArrayList<>();
    private UUID game = UUID.randomUUID();
    private long seq;

    FraudEconomy(long seed, Size size) {
        this.random = new Random(seed);
        this.size = size;
    }

    private record Planned(Instant at, long order, UUID from, UUID to, long amount, String ip, String ua)
            implements Comparable<Planned> {
        @Override
        public int compareTo(Planned o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private UUID account(Instant openedAt, boolean system, @Nullable String label) {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        facts.put(id, new Payment.AccountFacts(openedAt, system));
        if (label != null) {
            labels.put(id, label);
        }
        return id;
    }

    private Payment.AccountFacts factsOf(UUID id) {
        return facts.getOrDefault(id, Payment.AccountFacts.UNKNOWN);
    }

    private void pay(Instant at, UUID from, UUID to, long amount, String ip) {
        plan.add(new Planned(at, seq++, from, to, Math.max(1, amount), ip, "game-client/4.2"));
    }

    /** A log-normal amount with the given median, in whole coins. */
    private long amount(double median, double sigma) {
        return Math.max(1, Math.round(median * Math.exp(sigma * random.nextGaussian())));
    }

    /** A moment of the day weighted to the evening (the daily rhythm). */
    private Instant momentOfDay(int day) {
        while (true) {
            double hour = random.nextDouble() * 24;
            double weight = 0.55 + 0.45 * Math.sin((hour - 14) / 24 * 2 * Math.PI);
            if (random.nextDouble() < weight) {
                return START.plus(Duration.ofDays(day)).plusMillis((long) (hour * 3_600_000));
            }
        }
    }

    private void normalEconomy() {
        for (int i = 0; i < 3; i++) {
            shops.add(account(START.minus(Duration.ofDays(400)), true, null));
        }
        game = account(START.minus(Duration.ofDays(400)), true, null);
        int n = size.players();
        UUID[] players = new UUID[n];
        String[] ips = new String[n];
        for (int i = 0; i < n; i++) {
            // Most players are established; a few joined during the run.
            Instant opened = random.nextDouble() < 0.05
                    ? START.plus(Duration.ofMinutes(random.nextInt(size.days() * 1440)))
                    : START.minus(Duration.ofDays(2 + random.nextInt(700)));
            players[i] = account(opened, false, "normal");
            // Households: about one player in six shares an address with the one before.
            ips[i] = i > 0 && random.nextDouble() < 0.17
                    ? ips[i - 1]
                    : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        }
        for (int i = 0; i < n; i++) {
            Instant opened = factsOf(players[i]).openedAt();
            // Pareto activity: most play a little, a few a lot.
            double activity = Math.min(60, 1.2 / Math.pow(1 - random.nextDouble(), 1 / 1.6));
            double median = 20 * Math.exp(0.8 * random.nextGaussian());
            int[] friends = new int[3 + random.nextInt(4)];
            for (int f = 0; f < friends.length; f++) {
                friends[f] = Math.floorMod(i + 1 + random.nextInt(40), n);
            }
            for (int day = 0; day < size.days(); day++) {
                int actions = (int) Math.round(activity * (0.5 + random.nextDouble()));
                for (int a = 0; a < actions; a++) {
                    Instant at = momentOfDay(day);
                    if (at.isBefore(opened)) {
                        continue;
                    }
                    double r = random.nextDouble();
                    if (r < 0.35) {
                        pay(at, game, players[i], amount(median * 2, 0.7), "game-server");
                    } else if (r < 0.8) {
                        pay(at, players[i], shops.get(random.nextInt(shops.size())), amount(median, 1.0), ips[i]);
                    } else {
                        int friend = friends[random.nextInt(friends.length)];
                        if (friend != i) {
                            pay(at, players[i], players[friend], amount(median, 1.2), ips[i]);
                        }
                    }
                }
            }
        }
    }

    private Instant someTime() {
        return START.plus(Duration.ofMinutes(60 + random.nextInt(Math.max(1, size.days() * 1440 - 180))));
    }

    private String freshIp() {
        return "198.18." + random.nextInt(256) + "." + random.nextInt(256);
    }

    private void farmRingIntoMule() {
        Instant t = someTime();
        UUID mule = account(t.minus(Duration.ofDays(3)), false, "farm_ring_mule");
        UUID buyer = account(START.minus(Duration.ofDays(100)), false, null);
        int farms = 8 + random.nextInt(8);
        long total = 0;
        for (int f = 0; f < farms; f++) {
            UUID farm = account(t.minus(Duration.ofHours(2 + random.nextInt(20))), false, "farm_ring_mule");
            pay(t.minus(Duration.ofMinutes(30)), game, farm, 400, "game-server");
            long gold = 250L + random.nextInt(150);
            total += gold;
            pay(t.plus(Duration.ofMinutes(3L * f)), farm, mule, gold, freshIp());
        }
        // The mule sells the gold on (real-money trading).
        pay(t.plus(Duration.ofMinutes(3L * farms + 10)), mule, buyer, total * 9 / 10, freshIp());
    }

    private void stolenAccountDrained() {
        Instant opened = START.minus(Duration.ofDays(200));
        UUID victim = account(opened, false, "stolen_account_drain");
        String home = freshIp();
        for (int d = 0; d < size.days(); d++) {
            pay(momentOfDay(d), game, victim, 600, "game-server");
        }
        // A normal history: small purchases over the first days.
        Instant t = someTime();
        for (int k = 0; k < 12; k++) {
            Instant at = t.minus(Duration.ofMinutes(60L * (k + 1)));
            pay(at, victim, shops.get(k % shops.size()), amount(15, 0.4), home);
        }
        String thief = freshIp();
        for (int k = 0; k < 4; k++) {
            UUID drop = account(t.minus(Duration.ofHours(1)), false, null);
            pay(t.plus(Duration.ofSeconds(30L * k)), victim, drop, 1_500 + random.nextInt(500), thief);
        }
    }

    private void launderCircle() {
        Instant t = someTime();
        int k = 3 + random.nextInt(2);
        UUID[] ring = new UUID[k];
        for (int i = 0; i < k; i++) {
            ring[i] = account(START.minus(Duration.ofDays(30 + random.nextInt(300))), false, "launder_circle");
            pay(t.minus(Duration.ofHours(3)), game, ring[i], 3_000, "game-server");
        }
        long amount = 1_000L + random.nextInt(1_000);
        for (int i = 0; i < k; i++) {
            pay(t.plus(Duration.ofMinutes(5L * i)), ring[i], ring[(i + 1) % k], amount, freshIp());
            amount = amount * 95 / 100;
        }
    }

    private void multiAccountFarm() {
        Instant t = someTime();
        String ip = freshIp();
        UUID main = account(START.minus(Duration.ofDays(90)), false, null);
        int alts = 6 + random.nextInt(6);
        for (int i = 0; i < alts; i++) {
            UUID alt = account(START.minus(Duration.ofDays(5 + random.nextInt(60))), false, "multi_account_farm");
            pay(t.minus(Duration.ofHours(2)), game, alt, 200, "game-server");
            pay(t.plus(Duration.ofMinutes(4L * i)), alt, main, 100 + random.nextInt(80), ip);
        }
    }

    private void passThroughChain() {
        Instant t = someTime();
        UUID source = account(START.minus(Duration.ofDays(60)), false, null);
        pay(t.minus(Duration.ofHours(1)), game, source, 10_000, "game-server");
        int hops = 3 + random.nextInt(2);
        UUID prev = source;
        long amount = 4_000L + random.nextInt(2_000);
        for (int h = 0; h < hops; h++) {
            UUID next = account(
                    START.minus(Duration.ofDays(10 + random.nextInt(200))),
                    false,
                    h == hops - 1 ? null : "pass_through_chain");
            pay(t.plus(Duration.ofMinutes(7L * h)), prev, next, amount, freshIp());
            amount = amount * 97 / 100;
            prev = next;
        }
    }

    /** Builds the economy and decides every payment in time order under {@code policy}. */
    Result run(FraudPolicy policy) {
        normalEconomy();
        for (int i = 0; i < size.instancesPerScenario(); i++) {
            farmRingIntoMule();
            stolenAccountDrained();
            launderCircle();
            multiAccountFarm();
            passThroughChain();
        }
        FraudShield shield = new FraudShield(policy);
        Set<UUID> named = new HashSet<>();
        Map<String, Long> byRule = new LinkedHashMap<>();
        long normalPayments = 0;
        long normalRefused = 0;
        long payments = 0;
        long tx = 0;
        while (!plan.isEmpty()) {
            Planned p = plan.poll();
            String id = "tx" + tx++;
            byTx.put(id, p.from);
            Payment payment = new Payment(
                    id,
                    p.from,
                    p.to,
                    "GOLD",
                    p.amount,
                    p.at,
                    Optional.of(p.ip),
                    Optional.of(p.ua),
                    factsOf(p.from),
                    factsOf(p.to));
            boolean normal = "normal".equals(labels.get(p.from));
            payments++;
            if (normal) {
                normalPayments++;
            }
            List<Finding> findings = payment.senderFacts().system() ? List.of() : shield.assess(payment);
            for (Finding f : findings) {
                byRule.merge(f.rule(), 1L, Long::sum);
                named.add(f.account());
                // The accounts whose transfers the event lists are named in it too.
                for (String t : f.transactionIds()) {
                    UUID sender = byTx.get(t);
                    if (sender != null) {
                        named.add(sender);
                    }
                }
            }
            boolean refused = !findings.isEmpty() && findings.get(0).action() != FraudAction.FLAG;
            if (refused) {
                if (normal) {
                    normalRefused++;
                }
                continue;
            }
            shield.flagged(findings, p.at);
            if (!payment.senderFacts().system()) {
                shield.record(payment);
            }
        }
        Set<UUID> normalFlagged = new HashSet<>();
        Map<String, Integer> fraud = new LinkedHashMap<>();
        Map<String, Integer> caught = new LinkedHashMap<>();
        SCENARIOS.forEach(s -> {
            fraud.put(s, 0);
            caught.put(s, 0);
        });
        int normals = 0;
        for (Map.Entry<UUID, String> e : labels.entrySet()) {
            boolean isNamed = named.contains(e.getKey());
            if (e.getValue().equals("normal")) {
                normals++;
                if (isNamed) {
                    normalFlagged.add(e.getKey());
                }
            } else {
                fraud.merge(e.getValue(), 1, Integer::sum);
                if (isNamed) {
                    caught.merge(e.getValue(), 1, Integer::sum);
                }
            }
        }
        return new Result(normals, normalPayments, normalFlagged, normalRefused, fraud, caught, byRule, payments);
    }
}
