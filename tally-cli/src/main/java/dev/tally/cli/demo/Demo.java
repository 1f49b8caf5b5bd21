package dev.tally.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.Actors;
import dev.tally.cli.text.TextTable;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TimeOrderedIds;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The demo economy, step by step, on a ledger the caller opened on a fresh store: accounts, mint and burn,
 * thousands of taxed payments from concurrent clients, then each rule shown once (a frozen sender, an
 * overdraft, an optimistic-concurrency conflict and its retry, an idempotent replay, a reversal). Every
 * step narrates one line through {@code say}; {@link #run()} returns the whole story as JSON.
 */
final class Demo {
    /** The people of the economy; the last one gets frozen. */
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    private static final String FROZEN_USER = "heidi";
    private static final String MINT_EACH = "2500.00";
    /** In-flight payments per client: enough to fill the sequencer's batches, bounded to keep memory flat. */
    private static final int WINDOW = 128;

    /** Starts a progress display for a count that {@code done} reports. */
    @FunctionalInterface
    interface Progress {
        AutoCloseable start(long total, LongSupplier done);
    }

    private final Ledger ledger;
    private final int transfers;
    private final int clients;
    private final long seed;
    private final Consumer<String> say;
    private final Progress progress;
    private final EntryContext context = Actors.cliContext();
    private final Currency eur = Currency.EUR;
    private final ObjectNode summary = Views.object();

    Demo(Ledger ledger, int transfers, int clients, long seed, Consumer<String> say, Progress progress) {
        this.ledger = ledger;
        this.transfers = transfers;
        this.clients = clients;
        this.seed = seed;
        this.say = say;
        this.progress = progress;
    }

    /** Runs every step and returns the summary (without the {@code db} field, which the caller knows). */
    ObjectNode run() throws Exception {
        long started = System.nanoTime();
        List<Account> users = openAccounts();
        mintAndBurn(users);
        payments(users);
        frozenSender(users);
        overdraft(users);
        occ();
        replay(users);
        finalState();
        summary.put("commits", ledger.stats().batches());
        summary.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
        return summary;
    }

    private List<Account> openAccounts() throws Exception {
        List<Command> open = new ArrayList<>();
        open.add(new Command.OpenAccount(TimeOrderedIds.next(), "admin", "admin@example.com", Role.ADMIN));
        USERS.forEach(u -> open.add(new Command.OpenAccount(TimeOrderedIds.next(), u, u + "@example.com", Role.USER)));
        List<Account> accounts = ledger.submitAll(open).get().stream()
                .map(o -> switch (o) {
                    case Outcome.AccountChanged a -> a.account();
                    default -> throw new TallyException("the demo could not open its accounts: " + o);
                })
                .toList();
        say.accept("Opened " + accounts.size() + " accounts (" + String.join(", ", USERS)
                + ", and admin as ADMIN) beside the treasury.");
        summary.put("accounts", accounts.size() + 1);
        return accounts.subList(1, accounts.size());
    }

    private void mintAndBurn(List<Account> users) throws Exception {
        Money each = Money.parse(MINT_EACH, eur);
        List<Command> mints = new ArrayList<>();
        users.forEach(u -> mints.add(new Command.Mint("demo-mint-" + u.username(), u.id(), each, context)));
        requireAllOk(ledger.submitAll(mints).get(), "mint");
        Money burned = Money.parse("100.00", eur);
        requireAllOk(
                List.of(ledger.submit(
                                new Command.Burn("demo-burn-alice", users.get(0).id(), burned, context))
                        .get()),
                "burn");
        say.accept("Minted " + each + " into each of them in one commit, then burned " + burned + " from alice.");
    }

    /** The long part: payments of all three taxed types from concurrent clients, through futures. */
    private void payments(List<Account> users) throws Exception {
        LongAdder written = new LongAdder();
        Map<RejectionCode, LongAdder> rejected = new ConcurrentHashMap<>();
        Map<EntryType, LongAdder> byType = new ConcurrentHashMap<>();
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> new Thread(r, "demo-client"));
        AutoCloseable bar = progress.start(transfers, done::get);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                int share = transfers / clients + (c < transfers % clients ? 1 : 0);
                running.add(pool.submit(() -> {
                    client(client, share, users, written, rejected, byType, done, failure);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            bar.close();
        }
        if (failure.get() != null) {
            throw new TallyException("a payment failed: " + failure.get().getMessage(), failure.get());
        }
        long elapsedMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        ObjectNode p = summary.putObject("payments");
        p.put("submitted", transfers);
        p.put("clients", clients);
        p.put("written", written.sum());
        ObjectNode types = p.putObject("written_by_type");
        byType.forEach((t, n) -> types.put(t.name(), n.sum()));
        ObjectNode r = p.putObject("rejected");
        rejected.forEach((code, n) -> r.put(code.name(), n.sum()));
        p.put("elapsed_ms", elapsedMs);
        p.put("per_second", transfers * 1000L / elapsedMs);
        say.accept(String.format(
                "%d clients sent %d payments (TRANSFER, PURCHASE, INCOME) in %.2f s, %d/s: %d written%s.",
                clients,
                transfers,
                elapsedMs / 1000.0,
                transfers * 1000L / elapsedMs,
                written.sum(),
                rejected.isEmpty() ? ", none refused" : ", refused: " + rejectedText(rejected)));
    }

    private void client(
            int client,
            int share,
            List<Account> users,
            LongAdder written,
            Map<RejectionCode, LongAdder> rejected,
            Map<EntryType, LongAdder> byType,
            AtomicLong done,
            AtomicReference<Throwable> failure)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed * 31 + client);
        Semaphore window = new Semaphore(WINDOW);
        for (int i = 0; i < share && failure.get() == null; i++) {
            int from = random.nextInt(users.size());
            int to = (from + 1 + random.nextInt(users.size() - 1)) % users.size();
            int roll = random.nextInt(10);
            EntryType type = roll < 5 ? EntryType.TRANSFER : roll < 8 ? EntryType.PURCHASE : EntryType.INCOME;
            Money amount = Money.ofMinor(eur, random.nextLong(50, 4_001));
            Command.Payment payment = new Command.Payment(
                    "demo-pay-" + client + "-" + i,
                    type,
                    users.get(from).id(),
                    users.get(to).id(),
                    amount,
                    context);
            window.acquire();
            // Completion runs on the sequencer's thread: only count here, never block.
            ledger.submit(payment).whenComplete((outcome, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (outcome instanceof Outcome.Rejected no) {
                    rejected.computeIfAbsent(no.rejection().code(), k -> new LongAdder())
                            .increment();
                } else {
                    written.increment();
                    byType.computeIfAbsent(type, k -> new LongAdder()).increment();
                }
                done.incrementAndGet();
                window.release();
            });
        }
        window.acquire(WINDOW);
    }

    private void frozenSender(List<Account> users) throws Exception {
        Account frozen = ledger.freezeAccount(byName(users, FROZEN_USER).id(), "demo: chargeback fraud suspected");
        Outcome o = ledger.submit(new Command.Payment(
                        "demo-frozen-1",
                        EntryType.TRANSFER,
                        frozen.id(),
                        users.get(0).id(),
                        Money.parse("5.00", eur),
                        context))
                .get();
        ObjectNode f = summary.putObject("frozen_account");
        f.put("username", frozen.username());
        f.put("outcome", outcomeName(o));
        say.accept("Froze " + frozen.username() + " for fraud; her transfer of 5.00 EUR to alice: " + outcomeText(o)
                + ".");
    }

    private void overdraft(List<Account> users) throws Exception {
        Account grace = byName(users, "grace");
        Money balance = ledger.reads().balances(grace.id()).getOrDefault("EUR", Money.zero(eur));
        Money tooMuch = balance.plus(Money.parse("0.01", eur));
        Outcome o = ledger.submit(new Command.Payment(
                        "demo-overdraft-1",
                        EntryType.TRANSFER,
                        grace.id(),
                        users.get(1).id(),
                        tooMuch,
                        context))
                .get();
        summary.putObject("overdraft").put("outcome", outcomeName(o));
        say.accept("grace (balance " + balance + ") tried to send " + tooMuch + ": " + outcomeText(o) + ".");
    }

    /** The seed's OCC Test 1: two writers change the same account from the same version. */
    private void occ() throws Exception {
        Account alice = ledger.reads().findAccount("alice").orElseThrow();
        long read = alice.version();
        // Two clients, on two threads, both read version `read` and write from it at once.
        CompletableFuture<Outcome> first = CompletableFuture.supplyAsync(
                        () -> ledger.submit(new Command.UpdateEmail(alice.id(), "alice@work.example.com", read)))
                .thenCompose(f -> f);
        CompletableFuture<Outcome> second = CompletableFuture.supplyAsync(
                        () -> ledger.submit(new Command.UpdateEmail(alice.id(), "alice@home.example.com", read)))
                .thenCompose(f -> f);
        Outcome a = first.get();
        Outcome b = second.get();
        Outcome lost = a.ok() ? b : a;
        String loserEmail = a.ok() ? "alice@home.example.com" : "alice@work.example.com";
        Account reloaded = ledger.reads().findAccount("alice").orElseThrow();
        Account retried = ledger.updateEmail(alice.id(), loserEmail, reloaded.version());
        ObjectNode o = summary.putObject("occ");
        o.put("username", "alice");
        o.put("read_version", read);
        o.put("conflict", outcomeName(lost));
        o.put("reloaded_version", reloaded.version());
        o.put("final_version", retried.version());
        o.put("final_email", retried.email());
        say.accept("Two clients changed alice's e-mail from version " + read + " at once: one won (version "
                + reloaded.version()
                + "), the other was " + outcomeText(lost) + "; it reloaded version " + reloaded.version()
                + " and retried: ok (version " + retried.version() + ").");
    }

    private void replay(List<Account> users) throws Exception {
        Account alice = users.get(0);
        Account bob = users.get(1);
        Command.Payment purchase = new Command.Payment(
                "demo-replay-1", EntryType.PURCHASE, alice.id(), bob.id(), Money.parse("10.00", eur), context);
        LedgerEntry original = entryOf(ledger.submit(purchase).get());
        long head = ledger.reads().head().seq();
        Outcome again = ledger.submit(purchase).get();
        boolean unchanged = ledger.reads().head().seq() == head;
        Outcome different = ledger.submit(new Command.Payment(
                        "demo-replay-1", EntryType.PURCHASE, alice.id(), bob.id(), Money.parse("11.00", eur), context))
                .get();
        Outcome reversal = ledger.submit(new Command.Reverse("demo-reverse-1", "demo-replay-1", context))
                .get();
        ObjectNode r = summary.putObject("replay");
        r.put("transaction_id", purchase.transactionId());
        r.put("replayed", again instanceof Outcome.Replayed re && re.entry().equals(original));
        r.put("entries_unchanged", unchanged);
        r.put("other_content", outcomeName(different));
        summary.putObject("reversal").put("outcome", outcomeName(reversal));
        say.accept(
                "Sent PURCHASE demo-replay-1 (10.00 EUR, alice -> bob) twice: the second answer was the original entry (seq "
                        + original.seq() + ")" + (unchanged ? ", nothing new written" : "")
                        + "; the same id for 11.00 EUR: "
                        + outcomeText(different) + ".");
        say.accept("Reversed demo-replay-1 with a new REVERSAL entry (history is never edited): "
                + outcomeText(reversal) + ".");
    }

    private void finalState() {
        ArrayNode balances = summary.putArray("balances");
        List<Account> everyone = new ArrayList<>();
        ledger.reads().findAccount(ledger.rules().treasuryId().toString()).ifPresent(everyone::add);
        ledger.reads().findAccount("admin").ifPresent(everyone::add);
        USERS.forEach(u -> ledger.reads().findAccount(u).ifPresent(everyone::add));
        for (Account a : everyone) {
            ObjectNode row = balances.addObject();
            row.put("username", a.username());
            row.put("role", a.role().name());
            row.put("is_frozen_for_fraud", a.frozenForFraud());
            row.set("balances", Views.balances(ledger.reads().balances(a.id())));
        }
        summary.set(
                "treasury",
                Views.treasury(
                        ledger.rules().treasuryId(),
                        ledger.reads().balances(ledger.rules().treasuryId()),
                        ledger.reads().treasuryTotals(),
                        ledger.reads()::currencyOrScale));
        summary.set("supply", Views.supply(ledger.reads().supply()));
        ChainHead head = ledger.reads().head();
        ObjectNode chain = summary.putObject("chain");
        chain.put("entries", head.seq());
        chain.put("head_hash", head.hash().hex());
    }

    /** The final tables for people: balances, treasury, supply, chain. */
    static String render(ObjectNode summary) {
        StringBuilder out = new StringBuilder("\nBalances (EUR)\n");
        TextTable balances = new TextTable("ACCOUNT", "ROLE", "BALANCE", "FROZEN");
        for (JsonNode row : summary.get("balances")) {
            JsonNode eur = row.get("balances").get("EUR");
            balances.add(
                    row.get("username").asText(),
                    row.get("role").asText(),
                    eur == null ? "0.00" : eur.asText(),
                    row.get("is_frozen_for_fraud").asBoolean() ? "yes" : "no");
        }
        out.append(balances.render()).append("\n\nTreasury: tax collected per kind\n");
        TextTable treasury = new TextTable("CURRENCY", "TRANSFER_TAX", "VAT", "INCOME_TAX");
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        summary.get("treasury").get("tax_totals").properties().iterator();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            treasury.add(
                    c.getKey(),
                    c.getValue().get("TRANSFER_TAX").asText(),
                    c.getValue().get("VAT").asText(),
                    c.getValue().get("INCOME_TAX").asText());
        }
        out.append(treasury.render()).append("\n\nSupply\n");
        TextTable supply = new TextTable("CURRENCY", "MINTED", "BURNED", "CIRCULATING", "CONSERVED");
        for (JsonNode c : summary.get("supply").get("currencies")) {
            supply.add(
                    c.get("currency").asText(),
                    c.get("minted").asText(),
                    c.get("burned").asText(),
                    c.get("circulating").asText(),
                    c.get("conserved").asBoolean() ? "yes" : "NO");
        }
        out.append(supply.render())
                .append("\n\nChain: ")
                .append(summary.get("chain").get("entries").asLong())
                .append(" entries, SHA-256 hash-chained; head ")
                .append(summary.get("chain").get("head_hash").asText())
                .append("\nCommits: ")
                .append(summary.get("commits").asLong())
                .append(" durable database transactions in ")
                .append(summary.get("elapsed_ms").asLong())
                .append(" ms.");
        return out.toString();
    }

    private static Account byName(List<Account> users, String username) {
        return users.stream()
                .filter(u -> u.username().equals(username))
                .findFirst()
                .orElseThrow();
    }

    private static LedgerEntry entryOf(Outcome o) {
        return switch (o) {
            case Outcome.Written w -> w.entry();
            case Outcome.Replayed r -> r.entry();
            default -> throw new TallyException("the demo expected an entry, got " + o);
        };
    }

    private static void requireAllOk(List<Outcome> outcomes, String what) {
        Optional<Outcome> bad = outcomes.stream().filter(o -> !o.ok()).findFirst();
        if (bad.isPresent()) {
            throw new TallyException("the demo's " + what + " was refused: " + bad.get());
        }
    }

    /** WRITTEN, REPLAYED, HELD, or the rejection code. */
    private static String outcomeName(Outcome o) {
        return switch (o) {
            case Outcome.Written w -> "WRITTEN";
            case Outcome.Replayed r -> "REPLAYED";
            case Outcome.Held h -> "HELD";
            case Outcome.Rejected r -> r.rejection().code().name();
            case Outcome.AccountChanged a -> "CHANGED";
            case Outcome.ControlsChanged c -> "CHANGED";
        };
    }

    private static String outcomeText(Outcome o) {
        return switch (o) {
            case Outcome.Rejected r ->
                "refused with " + r.rejection().code() + " (" + r.rejection().message() + ")";
            case Outcome.Written w -> "written as seq " + w.entry().seq();
            default -> outcomeName(o).toLowerCase(Locale.ROOT);
        };
    }

    private static String rejectedText(Map<RejectionCode, LongAdder> rejected) {
        Map<RejectionCode, Long> sorted = new EnumMap<>(RejectionCode.class);
        rejected.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .reduce((x, y) -> x + ", " + y)
                .orElse("");
    }
}
