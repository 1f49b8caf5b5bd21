package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.NOW;
import static dev.tally.core.engine.World.eur;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.StoredRow;
import dev.tally.core.command.Command;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.money.Currencies;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pending (two-phase) payments in the engine: reserve, post, void, expiry, and their refusals. */
class PendingEngineTest {
    private final World w = new World();

    private Command.CreatePending hold(String id, long minor) {
        return new Command.CreatePending(
                id, EntryType.PURCHASE, w.alice, w.bob, eur(minor), Duration.ofMinutes(10), CTX);
    }

    private Outcome at(Instant when, Command c) {
        Overlay overlay = w.overlay();
        Outcome o = w.engine.apply(c, overlay, when);
        w.commit(overlay);
        return o;
    }

    private static LedgerEntry entry(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Written.class);
        return ((Outcome.Written) o).entry();
    }

    private static RejectionCode code(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).rejection().code();
    }

    @Test
    void aPendingPaymentMovesTheAmountIntoEscrowAndRecordsItsExpiry() {
        LedgerEntry p = entry(w.apply(hold("h1", 3_000)));

        assertThat(p.type()).isEqualTo(EntryType.PENDING);
        assertThat(p.taxWithheld()).isZero();
        assertThat(Engine.expiresAt(p)).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(w.balance(w.alice)).isEqualTo(7_000);
        assertThat(w.balance(Rules.ESCROW_ID)).isEqualTo(3_000);
        assertThat(w.balance(w.bob)).isZero();
    }

    @Test
    void aPartialPostTaxesWhatIsPostedAndReleasesTheRest() {
        w.apply(hold("h1", 3_000));
        LedgerEntry post = entry(w.apply(new Command.PostPending("p1", "h1", Optional.of(eur(2_000)), CTX)));

        assertThat(post.taxWithheld()).isEqualTo(400);
        assertThat(post.amountNet()).isEqualTo(1_600);
        assertThat(w.balance(w.bob)).isEqualTo(1_600);
        assertThat(w.balance(w.alice)).isEqualTo(8_000);
        assertThat(w.balance(Rules.ESCROW_ID)).isZero();
    }

    @Test
    void aVoidGivesEverythingBack() {
        w.apply(hold("h1", 3_000));
        LedgerEntry v = entry(w.apply(new Command.VoidPending("v1", "h1", CTX)));

        assertThat(v.amountNet()).isZero();
        assertThat(w.balance(w.alice)).isEqualTo(10_000);
    }

    @Test
    void settlingTwiceOrSomethingElseIsRefused() {
        w.apply(hold("h1", 3_000));
        w.apply(hold("h2", 1_000));
        w.apply(new Command.PostPending("p1", "h1", Optional.empty(), CTX));
        w.apply(new Command.VoidPending("v2", "h2", CTX));

        assertThat(code(w.apply(new Command.VoidPending("v1", "h1", CTX))))
                .isEqualTo(RejectionCode.PENDING_ALREADY_POSTED);
        assertThat(code(w.apply(new Command.PostPending("p2", "h2", Optional.empty(), CTX))))
                .isEqualTo(RejectionCode.PENDING_ALREADY_VOIDED);
        assertThat(code(w.apply(new Command.VoidPending("v3", "fund-alice", CTX))))
                .isEqualTo(RejectionCode.NOT_PENDING);
        assertThat(code(w.apply(new Command.VoidPending("v4", "nothing", CTX))))
                .isEqualTo(RejectionCode.UNKNOWN_TRANSACTION);
        assertThat(code(w.apply(new Command.Reverse("r1", "p1", CTX)))).isEqualTo(RejectionCode.NOT_REVERSIBLE);
    }

    @Test
    void postingMoreThanThePendingAmountIsRefused() {
        w.apply(hold("h1", 3_000));
        assertThat(code(w.apply(new Command.PostPending("p1", "h1", Optional.of(eur(3_001)), CTX))))
                .isEqualTo(RejectionCode.VALIDATION_FAILED);
    }

    @Test
    void postingAtOrAfterTheExpiryIsRefusedButAVoidIsNot() {
        w.apply(hold("h1", 3_000));
        Instant expiry = NOW.plus(Duration.ofMinutes(10));

        assertThat(code(at(expiry, new Command.PostPending("p1", "h1", Optional.empty(), CTX))))
                .isEqualTo(RejectionCode.PENDING_EXPIRED);
        assertThat(entry(at(expiry, new Command.VoidPending("expire-h1", "h1", CTX)))
                        .type())
                .isEqualTo(EntryType.VOID_PENDING);
    }

    @Test
    void retriesReplayAndOtherContentIsADuplicate() {
        LedgerEntry p = entry(w.apply(hold("h1", 3_000)));
        assertThat(w.apply(hold("h1", 3_000))).isEqualTo(new Outcome.Replayed(p));
        assertThat(code(w.apply(hold("h1", 2_000)))).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION);

        LedgerEntry post = entry(w.apply(new Command.PostPending("p1", "h1", Optional.of(eur(1_000)), CTX)));
        assertThat(w.apply(new Command.PostPending("p1", "h1", Optional.of(eur(1_000)), CTX)))
                .isEqualTo(new Outcome.Replayed(post));
        assertThat(code(w.apply(new Command.PostPending("p1", "h1", Optional.empty(), CTX))))
                .isEqualTo(RejectionCode.DUPLICATE_TRANSACTION);

        w.apply(hold("h2", 1_000));
        LedgerEntry v = entry(w.apply(new Command.VoidPending("v2", "h2", CTX)));
        assertThat(w.apply(new Command.VoidPending("v2", "h2", CTX))).isEqualTo(new Outcome.Replayed(v));
    }

    @Test
    void clientsMayNotSetTheLedgersOwnMetadataKeys() {
        Command.CreatePending forged = new Command.CreatePending(
                "h1",
                EntryType.PURCHASE,
                w.alice,
                w.bob,
                eur(1_000),
                Duration.ofMinutes(10),
                CTX.withMetadata(Metadata.of(Map.of(Metadata.EXPIRES_AT, "9999-01-01T00:00:00Z"))));
        assertThat(code(w.apply(forged))).isEqualTo(RejectionCode.VALIDATION_FAILED);
    }

    @Test
    void reservingMoreThanTheBalanceIsRefused() {
        assertThat(code(w.apply(hold("h1", 10_001)))).isEqualTo(RejectionCode.INSUFFICIENT_FUNDS);
        assertThat(w.balance(Rules.ESCROW_ID)).isZero();
    }

    @Test
    void theChainOfPendingEntriesVerifies() {
        w.apply(hold("h1", 3_000));
        w.apply(hold("h2", 1_000));
        w.apply(new Command.PostPending("p1", "h1", Optional.of(eur(500)), CTX));
        w.apply(new Command.VoidPending("v2", "h2", CTX));
        ChainVerifier verifier = new ChainVerifier(Currencies.defaults(), Link.GENESIS, 10);
        w.store.entries.values().stream()
                .sorted(Comparator.comparingLong(LedgerEntry::seq))
                .forEach(e -> verifier.accept(new StoredRow.Readable(e)));
        assertThat(verifier.result().findings()).isEmpty();
    }
}
