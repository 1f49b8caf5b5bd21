package dev.tally.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A ledger decided by the engine over a {@link MemoryStore}, one batch per call, with the treasury and two
 * users, alice (funded with 100.00 EUR) and bob.
 */
final class World {
    static final EntryContext CTX = EntryContext.actor("test");
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    final Rules rules;
    final Engine engine;
    final MemoryStore store = new MemoryStore();
    final UUID alice = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();

    World() {
        this(Rules.defaults());
    }

    World(Rules rules) {
        this.rules = rules;
        this.engine = new Engine(rules);
        assertThat(batch(
                        new Command.OpenAccount(
                                rules.treasuryId(), Rules.TREASURY_USERNAME, "treasury@tally.invalid", Role.SYSTEM),
                        new Command.OpenAccount(alice, "alice", "alice@example.com", Role.USER),
                        new Command.OpenAccount(bob, "bob", "bob@example.com", Role.USER),
                        new Command.Mint("fund-alice", alice, eur(10_000), CTX)))
                .allMatch(Outcome::ok);
    }

    static Money eur(long minor) {
        return Money.ofMinor(Currency.EUR, minor);
    }

    static Command.Payment transfer(String id, UUID from, UUID to, long minor) {
        return new Command.Payment(id, EntryType.TRANSFER, from, to, eur(minor), CTX);
    }

    /** Decides the commands in one overlay over a fresh cache of the store, and commits what they wrote. */
    List<Outcome> batch(Command... commands) {
        Overlay overlay = overlay();
        List<Outcome> outcomes = java.util.Arrays.stream(commands)
                .map(c -> engine.apply(c, overlay, NOW))
                .toList();
        commit(overlay);
        return outcomes;
    }

    /** Decides one command and commits it. */
    Outcome apply(Command command) {
        return batch(command).get(0);
    }

    Overlay overlay() {
        return new Overlay(new CachedState(store));
    }

    void commit(Overlay overlay) {
        WriteSet writes = overlay.toWriteSet(store.head);
        store.commit(writes);
    }

    long balance(UUID account) {
        return store.balances
                .getOrDefault(new BalanceKey(account, "EUR"), Balance.NONE)
                .amount();
    }

    static LedgerEntry entry(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Written.class);
        return ((Outcome.Written) o).entry();
    }
}
