package dev.tally.store.testing;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.CachedState;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.Rules;
import dev.tally.core.store.LedgerStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes commands to a store the way the ledger's writer does (the engine decides, the store commits one
 * batch), for store tests that need real entries without a ledger on top.
 */
public final class StoreWrites {
    private StoreWrites() {}

    /** Opens the treasury account the default rules expect; a mint needs it. */
    public static void openTreasury(LedgerStore store) {
        Rules rules = Rules.defaults();
        apply(
                store,
                List.of(new Command.OpenAccount(
                        rules.treasuryId(), Rules.TREASURY_USERNAME, "treasury@tally.invalid", Role.SYSTEM)));
    }

    /** Decides {@code commands} in order with the default rules and commits what they wrote in one batch. */
    public static List<Outcome> apply(LedgerStore store, List<? extends Command> commands) {
        Engine engine = new Engine(Rules.defaults());
        CachedState state = new CachedState(store);
        state.prefetch(commands);
        Overlay overlay = new Overlay(state);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Outcome> outcomes = new ArrayList<>();
        for (Command c : commands) {
            outcomes.add(engine.apply(c, overlay, now));
        }
        store.commit(overlay.toWriteSet(state.head()));
        return outcomes;
    }
}
