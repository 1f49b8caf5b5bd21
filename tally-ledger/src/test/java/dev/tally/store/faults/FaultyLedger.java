package dev.tally.store.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.ledger.testing.Invariants;
import dev.tally.store.testing.FaultyDataSource;
import dev.tally.store.testing.FaultyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A ledger whose store sits on a {@link FaultyDataSource}, two funded accounts, and the record of every
 * entry it acknowledged, so that a test can check after a fault and a reopen that none was lost.
 */
final class FaultyLedger implements AutoCloseable {
    static final EntryContext CTX = EntryContext.actor("fault-test");
    final String location;
    final FaultyDataSource faults;
    final Ledger ledger;
    final Account alice;
    final Account bob;
    final List<LedgerEntry> acknowledged = new ArrayList<>();

    private FaultyLedger(String location, FaultyDataSource faults, Ledger ledger) {
        this.location = location;
        this.faults = faults;
        this.ledger = ledger;
        this.alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        this.bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        acknowledged.add(ledger.mint("fund-alice", alice.id(), ledger.money("1000.00", "EUR"), CTX));
    }

    /** A fresh ledger at {@code location} (a new store) with faults ready to inject. */
    static FaultyLedger open(String location) {
        FaultyStore faulty = FaultyStore.open(location);
        return new FaultyLedger(
                location,
                faulty.faults(),
                Ledger.over(faulty.store(), Rules.defaults(), Clock.systemUTC(), SequencerOptions.DEFAULTS));
    }

    /** A transfer of 1.00 EUR from alice to bob. */
    Command.Payment transfer(String id) {
        return new Command.Payment(id, EntryType.TRANSFER, alice.id(), bob.id(), ledger.money("1.00", "EUR"), CTX);
    }

    /** Transfers and records the entry as acknowledged (durable by the ledger's promise). */
    LedgerEntry pay(String id) {
        Outcome o = ledger.submit(transfer(id)).join();
        assertThat(o).as(id).isInstanceOf(Outcome.Written.class);
        LedgerEntry e = ((Outcome.Written) o).entry();
        acknowledged.add(e);
        return e;
    }

    /**
     * Reopens the store as a fresh process would and checks that it tells no lie: every acknowledged entry
     * is there unchanged, the chain and the balances hold, and verification and reconciliation pass.
     */
    static Ledger reopenAndCheck(String location, List<LedgerEntry> acknowledged) {
        Ledger again =
                Ledger.open(LedgerConfig.defaults().withLocation(location).withRules(Rules.defaults()));
        for (LedgerEntry e : acknowledged) {
            assertThat(Invariants.isStored(again, e))
                    .as("acknowledged %s is durable", e.transactionId())
                    .isTrue();
        }
        Invariants.assertHold(again);
        assertThat(again.audit().verifyChainIntegrity().valid()).as("verify").isTrue();
        assertThat(again.audit().reconcile().valid()).as("reconcile").isTrue();
        return again;
    }

    @Override
    public void close() {
        ledger.close();
    }
}
