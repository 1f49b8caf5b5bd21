package dev.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.OpenMode;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import dev.tally.store.testing.StreamingStandby;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads from a real streaming hot standby of a PostgreSQL 15 primary (one pair for the whole class): what the
 * primary writes shows on the replica and verifies there; a replica that lags or is stopped is passed over for
 * the primary with a warning, or refused, as configured; nothing opened on the replica writes.
 */
class ReadReplicaStandbyTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final AnchorKey KEY = new AnchorKey(new byte[AnchorKey.LENGTH]);
    private static StreamingStandby pair;

    @BeforeAll
    static void startPair() {
        pair = StreamingStandby.start();
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    private static Ledger openPrimary() {
        return Ledger.open(pair.primaryUrl());
    }

    private static Account funded(Ledger ledger) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        Account a = ledger.createAccount(name, name + "@example.com", Role.USER);
        ledger.mint(UUID.randomUUID().toString(), a.id(), ledger.money("10.00", "EUR"), EntryContext.NONE);
        return a;
    }

    @Test
    void aWriteOnThePrimaryAppearsOnTheReplicaAndVerifiesThere() {
        try (Ledger ledger = openPrimary();
                ReadReplica replica = ReadReplica.of(ledger, ReplicaConfig.of(pair.standbyUrl()))) {
            Account alice = funded(ledger);
            pair.awaitCaughtUp(CATCH_UP);

            ReadView view = replica.view();
            assertThat(view.from().source()).isEqualTo(ReadFrom.Source.REPLICA);
            assertThat(view.from().lagEntries()).hasValue(0);
            assertThat(view.from().lagBytes()).isPresent();
            assertThat(view.reads().balances(alice.id())).containsKey("EUR");
            VerificationReport report = view.audit().verifyChainIntegrity();
            assertThat(report.valid()).isTrue();
            assertThat(report.toSeq()).isEqualTo(ledger.reads().head().seq());
            assertThat(view.audit().reconcile().valid()).isTrue();
        }
    }

    @Test
    void aVerificationOnALaggingReplicaCoversWhatItReplayedAndAnchorsNoFurther() {
        try (Ledger ledger = openPrimary();
                ReadReplica replica = ReadReplica.of(ledger, ReplicaConfig.of(pair.standbyUrl()))) {
            Account alice = funded(ledger);
            pair.awaitCaughtUp(CATCH_UP);
            long replayed = ledger.reads().head().seq();
            pair.pauseReplay();
            try {
                funded(ledger);
                funded(ledger);
                long primaryHead = ledger.reads().head().seq();

                ReadView view = replica.view();
                assertThat(view.from().source()).isEqualTo(ReadFrom.Source.REPLICA);
                assertThat(view.from().lagEntries()).hasValue(primaryHead - replayed);
                assertThat(view.reads().balances(alice.id())).containsKey("EUR");
                VerificationReport full =
                        view.audit().verifyChainIntegrity(VerifyOptions.full().withAnchorKey(KEY));
                assertThat(full.valid()).isTrue();
                assertThat(full.toSeq()).isEqualTo(replayed);
                VerificationRun run = ledger.audit().history(1).get(0);
                assertThat(run.toSeq())
                        .as("the anchor the replica's run recorded, on the primary")
                        .isEqualTo(replayed);
            } finally {
                pair.resumeReplay();
            }
            pair.awaitCaughtUp(CATCH_UP);
            VerificationReport incremental = replica.view()
                    .audit()
                    .verifyChainIntegrity(VerifyOptions.incremental().withAnchorKey(KEY));
            assertThat(incremental.valid()).isTrue();
            assertThat(incremental.mode()).isEqualTo(VerifyOptions.Mode.INCREMENTAL);
            assertThat(incremental.fromSeq()).isEqualTo(replayed + 1);
        }
    }

    @Test
    void aReplicaLaggingBeyondTheBoundIsPassedOverForThePrimaryWithAWarning() {
        try (Ledger ledger = openPrimary();
                ReadReplica replica = ReadReplica.of(
                        ledger, ReplicaConfig.of(pair.standbyUrl()).withMaxLagEntries(1))) {
            pair.awaitCaughtUp(CATCH_UP);
            pair.pauseReplay();
            try {
                funded(ledger);
                funded(ledger);
                ReadView view = replica.view();
                assertThat(view.from().source()).isEqualTo(ReadFrom.Source.PRIMARY);
                assertThat(view.from().lagEntries()).hasValue(2);
                assertThat(view.from().warning())
                        .hasValueSatisfying(
                                w -> assertThat(w).contains("lags 2 entries").contains("read the primary instead"));
                assertThat(view.from().toMap()).containsEntry("read_from", "primary");
                assertThat(view.audit().verifyChainIntegrity().toSeq())
                        .isEqualTo(ledger.reads().head().seq());
                assertThat(replica.unusableCount()).isEqualTo(1);
            } finally {
                pair.resumeReplay();
            }
        }
    }

    @Test
    void aReplicaLaggingBeyondTheBoundFailsTheReadWhenConfiguredTo() {
        ReplicaConfig config =
                ReplicaConfig.of(pair.standbyUrl()).withMaxLagEntries(1).withFallback(ReplicaConfig.Fallback.FAIL);
        try (Ledger ledger = openPrimary();
                ReadReplica replica = ReadReplica.of(ledger, config)) {
            pair.awaitCaughtUp(CATCH_UP);
            pair.pauseReplay();
            try {
                funded(ledger);
                funded(ledger);
                assertThatThrownBy(replica::view)
                        .isInstanceOf(ReplicaUnavailableException.class)
                        .hasMessageContaining("lags 2 entries");
            } finally {
                pair.resumeReplay();
            }
        }
    }

    @Test
    void aStoppedReplicaFallsBackToThePrimaryOrFailsAndServesAgainOnceRestarted() {
        try (Ledger ledger = openPrimary();
                ReadReplica fallback = ReadReplica.of(ledger, ReplicaConfig.of(pair.standbyUrl()));
                ReadReplica strict = ReadReplica.of(
                        ledger, ReplicaConfig.of(pair.standbyUrl()).withFallback(ReplicaConfig.Fallback.FAIL))) {
            funded(ledger);
            pair.awaitCaughtUp(CATCH_UP);
            assertThat(fallback.view().from().fromReplica()).isTrue();
            pair.stopStandby();
            try {
                ReadView view = fallback.view();
                assertThat(view.from().source()).isEqualTo(ReadFrom.Source.PRIMARY);
                assertThat(view.from().warning())
                        .hasValueSatisfying(w -> assertThat(w).contains("cannot be read"));
                assertThat(view.audit().verifyChainIntegrity().valid()).isTrue();
                assertThatThrownBy(strict::view)
                        .isInstanceOf(ReplicaUnavailableException.class)
                        .hasMessageContaining("cannot be read");
            } finally {
                pair.startStandby();
            }
            pair.awaitCaughtUp(CATCH_UP);
            assertThat(fallback.view().from().fromReplica()).isTrue();
        }
    }

    @Test
    void aStoreOpenedReadOnlyReadsTheStandbyAndCannotWriteEvenOnAPrimary() {
        try (Ledger ledger = openPrimary()) {
            funded(ledger);
        }
        pair.awaitCaughtUp(CATCH_UP);
        long head;
        try (LedgerStore onPrimary = Stores.open(pair.primaryUrl())) {
            head = onPrimary.loadHead().seq();
        }
        try (LedgerStore onStandby =
                Stores.open(pair.standbyUrl(), StoreOptions.DEFAULTS.withOpenMode(OpenMode.READ_ONLY))) {
            assertThat(onStandby.replicationPosition().standby()).isTrue();
            assertThat(onStandby.replicationPosition().headSeq()).isEqualTo(head);
        }
        try (LedgerStore onPrimary =
                Stores.open(pair.primaryUrl(), StoreOptions.DEFAULTS.withOpenMode(OpenMode.READ_ONLY))) {
            assertThatThrownBy(() -> onPrimary.verificationRuns().record(sampleRun()))
                    .hasStackTraceContaining("read-only transaction");
        }
    }

    private static VerificationRun sampleRun() {
        try (Ledger ledger = openPrimary()) {
            ledger.audit().verifyChainIntegrity();
            return ledger.audit().history(1).get(0);
        }
    }
}
