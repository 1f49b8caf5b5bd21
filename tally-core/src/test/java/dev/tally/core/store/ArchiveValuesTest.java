package dev.tally.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.TaxKind;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The values of archiving: the state at a boundary, an archived month, and the store that never archives. */
class ArchiveValuesTest {
    private static final UUID TREASURY = new UUID(0, 1);
    private static final UUID ALICE = new UUID(0, 2);

    @Test
    void aStateReplayedIntoABuilderAndContinuedAddsUp() {
        BoundaryState.Builder first = new BoundaryState.Builder(BoundaryState.EMPTY, TREASURY);
        first.balance(ALICE, "EUR", 1_000);
        first.treasuryTotal("EUR", TaxKind.TRANSFER_TAX, 10);
        first.supply("EUR", 1_000, 0);
        BoundaryState.Builder second = new BoundaryState.Builder(first.build(), TREASURY);
        second.balance(ALICE, "EUR", -100);
        second.supply("EUR", 0, 100);

        BoundaryState s = second.build();

        assertThat(s.balances()).isEqualTo(Map.of(new BalanceKey(ALICE, "EUR"), 900L));
        assertThat(s.treasuryTotals()).isEqualTo(Map.of(new TreasuryKey("EUR", TaxKind.TRANSFER_TAX), 10L));
        assertThat(s.supply()).isEqualTo(Map.of("EUR", new Supply(1_000, 100, 0)));
    }

    @Test
    void anArchivedMonthKnowsItsEntriesAndKeepsItsDigestToItself() {
        byte[] digest = new byte[32];
        ArchivedMonth m = month(4, 9, digest);
        digest[0] = 1;
        m.sha256()[1] = 1;

        assertThat(m.entries()).isEqualTo(6);
        assertThat(m.sha256()).isEqualTo(new byte[32]);
    }

    @Test
    void anArchivedMonthWithABackwardsRangeIsRefused() {
        assertThatThrownBy(() -> month(5, 4, new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> month(0, 4, new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoreThatDoesNotPartitionHasNothingArchivedAndRefusesToArchive() {
        ArchiveStore none = ArchiveStore.none();

        assertThat(none.supported()).isFalse();
        assertThat(none.archived()).isEmpty();
        assertThat(none.boundary()).isEmpty();
        assertThat(none.liveMonthsBefore(YearMonth.of(2031, 1))).isEmpty();
        assertThat(none.archivedSeq("tx")).isEmpty();
        assertThatThrownBy(() -> none.commit(month(1, 2, new byte[32])))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static ArchivedMonth month(long first, long last, byte[] digest) {
        return new ArchivedMonth(
                YearMonth.of(2031, 1),
                "ledger_entries_2031_01",
                first,
                last,
                Hash.ZERO,
                0,
                "ledger-2031-01.jsonl",
                digest,
                10,
                "note",
                BoundaryState.EMPTY,
                Instant.EPOCH);
    }
}
