package dev.tally.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.SnapshotCheck;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currencies;
import dev.tally.core.store.BalanceSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The snapshots picked from committed batches are the balances just after their entries, as a replay finds them. */
class BalanceSnapshotterTest {
    private final World world = new World();
    private final BalanceSnapshotter snapshotter =
            new BalanceSnapshotter(4, world.rules.treasuryId(), Set.of(world.rules.treasuryId(), Rules.ESCROW_ID));
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final List<BalanceSnapshot> snapshots = new ArrayList<>();

    /** Decides the commands in one batch, commits it and takes its snapshots. */
    private void batch(Command... commands) {
        Overlay overlay = world.overlay();
        for (Command c : commands) {
            Outcome o = world.engine.apply(c, overlay, World.NOW);
            if (o instanceof Outcome.Written w) {
                entries.add(w.entry());
            }
        }
        WriteSet writes = overlay.toWriteSet(world.store.head);
        world.store.commit(writes);
        snapshots.addAll(snapshotter.snapshotsOf(writes));
    }

    private void randomBatches(int batches) {
        Random random = new Random(7);
        int id = 0;
        for (int b = 0; b < batches; b++) {
            List<Command> commands = new ArrayList<>();
            for (int i = 1 + random.nextInt(9); i > 0; i--) {
                boolean fromAlice = random.nextBoolean();
                commands.add(new Command.Payment(
                        "p-" + id++,
                        EntryType.PURCHASE,
                        fromAlice ? world.alice : world.bob,
                        fromAlice ? world.bob : world.alice,
                        World.eur(1 + random.nextInt(300)),
                        World.CTX));
            }
            batch(commands.toArray(Command[]::new));
        }
    }

    private SnapshotCheck check(List<BalanceSnapshot> checked) {
        SnapshotCheck check = new SnapshotCheck(world.rules.treasuryId(), Currencies.defaults());
        List<BalanceSnapshot> sorted = new ArrayList<>(checked);
        sorted.sort(Comparator.comparingLong(BalanceSnapshot::seq));
        List<LedgerEntry> chain = world.store.entries.values().stream()
                .sorted(Comparator.comparingLong(LedgerEntry::seq))
                .toList();
        int next = 0;
        for (LedgerEntry e : chain) {
            check.replay(e);
            while (next < sorted.size() && sorted.get(next).seq() <= e.seq()) {
                check.check(sorted.get(next++));
            }
        }
        while (next < sorted.size()) {
            check.check(sorted.get(next++));
        }
        return check;
    }

    @Test
    void everySnapshotIsTheBalanceJustAfterItsEntryEvenInsideABatch() {
        randomBatches(40);
        assertThat(snapshots).isNotEmpty();
        assertThat(snapshots).anyMatch(s -> s.accountId().equals(world.rules.treasuryId()));
        assertThat(snapshots).anyMatch(s -> s.seq() != world.store.head.seq());
        SnapshotCheck check = check(snapshots);
        assertThat(check.findings()).isEmpty();
        assertThat(check.checked()).isEqualTo(snapshots.size());
    }

    @Test
    void noBalanceGoesMoreThanTheIntervalOfItsEntriesWithoutASnapshot() {
        randomBatches(40);
        for (UUID account : List.of(world.alice, world.bob)) {
            List<Long> at = snapshots.stream()
                    .filter(s -> s.accountId().equals(account) && !s.opening())
                    .map(BalanceSnapshot::seq)
                    .sorted()
                    .toList();
            long named = entries.stream()
                    .filter(e -> e.senderId().orElseThrow().equals(account)
                            || e.receiverId().orElseThrow().equals(account))
                    .count();
            assertThat(at).hasSizeGreaterThanOrEqualTo((int) (named / 4) - 1);
        }
    }

    @Test
    void aBalanceCreatedByABatchGetsAnOpeningZeroJustBeforeIt() {
        UUID carol = UUID.randomUUID();
        batch(new Command.OpenAccount(carol, "carol", "carol@example.com", dev.tally.core.account.Role.USER));
        batch(World.transfer("to-carol", world.alice, carol, 500));
        long before = world.store.head.seq() - 1;
        assertThat(snapshots).contains(new BalanceSnapshot(carol, "EUR", before, 0, true));
        assertThat(check(snapshots).findings()).isEmpty();
    }

    @Test
    void anEditedSnapshotAFalseOpeningAndOneBeyondTheChainAreFindings() {
        randomBatches(10);
        BalanceSnapshot s =
                snapshots.stream().filter(x -> !x.opening()).findFirst().orElseThrow();
        List<BalanceSnapshot> forged = List.of(
                new BalanceSnapshot(s.accountId(), s.currency(), s.seq(), s.amount() + 1),
                new BalanceSnapshot(s.accountId(), s.currency(), s.seq(), s.amount(), true),
                new BalanceSnapshot(s.accountId(), s.currency(), world.store.head.seq() + 5, s.amount()));
        assertThat(check(forged).findings())
                .hasSize(3)
                .allMatch(f -> f.type() == FindingType.BALANCE_SNAPSHOT_MISMATCH);
    }
}
