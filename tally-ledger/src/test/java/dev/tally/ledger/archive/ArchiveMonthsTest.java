package dev.tally.ledger.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.merkle.Checkpointer;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.LedgerPartitions;
import dev.tally.store.export.ExportAudit;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.NoteSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL ledger whose clock moves through five months archives its closed months: each goes to an audited
 * file, its partition is dropped, and the live ledger still verifies, reconciles, proves and keeps its balances. A
 * failure between any two steps leaves the partition or an audited archive, and a re-run resumes.
 */
class ArchiveMonthsTest {
    private static final Instant JANUARY = Instant.parse("2031-01-20T10:00:00Z");
    private static final int MONTHS = 5;
    private static final int TRANSFERS_A_MONTH = 4;

    private final SettableClock clock = new SettableClock(JANUARY);
    private final Path dir;
    private final Path archives;
    private final Path witness;
    private final NoteSigner signer;

    ArchiveMonthsTest() throws IOException {
        dir = Files.createTempDirectory("tally-archive-");
        archives = Files.createDirectories(dir.resolve("archives"));
        witness = dir.resolve("witness.txt");
        signer = SignerKeys.loadSigner(SignerKeys.generate(dir.resolve("keys"), "tally.example/archive")
                .privateKey());
    }

    @Test
    void closedMonthsBeforeTheGivenOneAreArchivedToAuditedFilesAndTheirPartitionsDropped() {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            ArchiveReport report = ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE);

            assertThat(report.archived())
                    .extracting(ArchivedMonth::month)
                    .containsExactly(YearMonth.of(2031, 1), YearMonth.of(2031, 2), YearMonth.of(2031, 3));
            assertThat(LedgerPartitions.list(store(ledger)))
                    .doesNotContain("ledger_entries_2031_01", "ledger_entries_2031_02", "ledger_entries_2031_03")
                    .contains("ledger_entries_2031_04", "ledger_entries_2031_05");
            long perMonth = TRANSFERS_A_MONTH + 1;
            ArchivedMonth march = report.archived().get(2);
            assertThat(march.firstSeq()).isEqualTo(2 * perMonth + 1);
            assertThat(march.lastSeq()).isEqualTo(3 * perMonth);
            for (ArchivedMonth m : report.archived()) {
                ExportAudit.Result audit = audit(archives.resolve(m.fileName()));
                assertThat(audit.valid()).as("audit of %s", m.fileName()).isTrue();
                assertThat(audit.entries()).isEqualTo(m.lastSeq());
                assertThat(audit.sha256().orElseThrow()).isEqualTo(m.sha256());
            }
        }
    }

    @Test
    void afterArchivingBalancesTheChainHeadVerificationReconciliationAndProofsStayCorrect() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);
            Map<String, Long> aliceBefore = balancesOfAll(ledger);
            new Checkpointer(store(ledger), signer, Optional.of(witness), clock).checkpoint();
            long head = ledger.reads().head().seq();

            ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE);

            assertThat(ledger.reads().head().seq()).isEqualTo(head);
            assertThat(balancesOfAll(ledger)).isEqualTo(aliceBefore);
            VerificationReport full = ledger.audit().verifyChainIntegrity(VerifyOptions.full());
            assertThat(full.valid()).as("%s", full.findings()).isTrue();
            assertThat(full.transactionsVerified()).isEqualTo(2L * (TRANSFERS_A_MONTH + 1));
            VerificationReport signed = ledger.audit()
                    .verifyChainIntegrity(VerifyOptions.full()
                            .withCheckpoints(
                                    new CheckpointCheck(signer.verifier(), WitnessFile.read(witness), "witness")));
            assertThat(signed.valid()).as("%s", signed.findings()).isTrue();
            assertThat(ledger.audit().reconcile().valid()).isTrue();
            LedgerEntry archived = entries.get(1);
            InclusionProof proof = new MerkleLog(store(ledger)).inclusionProof(archived.transactionId(), head);
            assertThat(proof.leafIdx()).isEqualTo(archived.seq() - 1);
            assertThat(ledger.audit().verifyArchives(archives, signer.verifier(), "witness", WitnessFile.read(witness)))
                    .allMatch(ArchiveCheck.Result::valid)
                    .hasSize(3);
            clock.advance(Duration.ofHours(1));
            Account alice = store(ledger).findAccountByUsername("alice").orElseThrow();
            Account bob = store(ledger).findAccountByUsername("bob").orElseThrow();
            ledger.transfer("after-archive", alice.id(), bob.id(), ledger.money("1.00", "EUR"), EntryContext.NONE);
            assertThat(ledger.audit().verifyChainIntegrity(VerifyOptions.full()).valid())
                    .isTrue();
            assertThat(ledger.audit().reconcile().valid()).isTrue();
        }
    }

    @Test
    void rightAfterArchivingTheBoundarysOwnCheckpointVerifiesWithTheKey() {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            ledger.audit().archive(request(YearMonth.of(2031, 3)), ArchiveStep.Hook.NONE);

            VerificationReport signed = ledger.audit()
                    .verifyChainIntegrity(VerifyOptions.full()
                            .withCheckpoints(new CheckpointCheck(
                                    signer.verifier(),
                                    List.of(ledger.audit()
                                            .archivedMonths()
                                            .get(1)
                                            .checkpointNote()),
                                    "archive")));

            assertThat(signed.valid()).as("%s", signed.findings()).isTrue();
        }
    }

    @Test
    void aBoundaryMovedOrEditedInTheDatabaseIsAFinding() {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            ledger.audit().archive(request(YearMonth.of(2031, 3)), ArchiveStep.Hook.NONE);
            long boundary = ledger.audit().archivedMonths().get(1).lastSeq();
            // A writer hides a live entry: moves the boundary past it and drops it, with the hash it now needs.
            String next = StoreSql.scalar(
                    store(ledger),
                    "SELECT encode(current_hash, 'hex') FROM ledger_entries" + " WHERE seq = " + (boundary + 1));
            StoreSql.execute(
                    store(ledger),
                    "UPDATE archived_months SET last_seq = ?, entries = entries + 1, last_hash = decode(?, 'hex')"
                            + " WHERE last_seq = ?",
                    boundary + 1,
                    next,
                    boundary);
            StoreSql.execute(store(ledger), "DELETE FROM ledger_entries WHERE seq = ?", boundary + 1);

            VerificationReport report = ledger.audit().verifyChainIntegrity(VerifyOptions.full());

            assertThat(report.valid()).isFalse();
            assertThat(report.findings()).anySatisfy(f -> assertThat(f.type()).isEqualTo(FindingType.ANCHOR_MISMATCH));
        }
    }

    @Test
    void theCurrentMonthIsNeverArchivedWhateverIsAsked() {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            ledger.audit().archive(request(YearMonth.of(2040, 1)), ArchiveStep.Hook.NONE);

            assertThat(ledger.audit().archivedMonths())
                    .extracting(ArchivedMonth::month)
                    .doesNotContain(YearMonth.of(2031, 5))
                    .contains(YearMonth.of(2031, 4));
            assertThat(LedgerPartitions.list(store(ledger))).contains("ledger_entries_2031_05");
        }
    }

    @Test
    void aFailureAfterAnyStepLeavesThePartitionOrAnAuditedArchiveAndARerunResumes() {
        for (ArchiveStep failAfter : ArchiveStep.values()) {
            clock.set(JANUARY);
            try (Ledger ledger =
                    Ledger.open(TestStores.config(StoreKind.POSTGRES).withClock(clock))) {
                writeMonths(ledger);
                ArchiveStep.Hook crash = (step, month) -> {
                    if (step == failAfter && month.equals(YearMonth.of(2031, 2))) {
                        throw new IllegalStateException("crash after " + step);
                    }
                };
                assertThatThrownBy(() -> ledger.audit().archive(request(YearMonth.of(2031, 4)), crash))
                        .hasMessageContaining("crash after " + failAfter);

                boolean dropped = !LedgerPartitions.list(store(ledger)).contains("ledger_entries_2031_02");
                Path february = archives.resolve(MonthArchiver.fileName(YearMonth.of(2031, 2)));
                assertThat(dropped)
                        .as("February dropped after %s", failAfter)
                        .isEqualTo(failAfter == ArchiveStep.DROPPED);
                if (dropped) {
                    assertThat(audit(february).valid()).isTrue();
                }

                ArchiveReport rerun = ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE);
                assertThat(ledger.audit().archivedMonths())
                        .extracting(ArchivedMonth::month)
                        .containsExactly(YearMonth.of(2031, 1), YearMonth.of(2031, 2), YearMonth.of(2031, 3));
                assertThat(rerun.archived()).isNotEmpty();
                assertThat(ledger.audit()
                                .verifyChainIntegrity(VerifyOptions.full())
                                .valid())
                        .isTrue();
                assertThat(ledger.audit().reconcile().valid()).isTrue();
                assertThat(ledger.audit().verifyArchives(archives, signer.verifier(), "witness", List.of()))
                        .allMatch(ArchiveCheck.Result::valid);
            }
        }
    }

    @Test
    void aTamperedArchiveStopsTheNextMonthsArchivingAndFailsTheArchiveCheck() throws IOException {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            ledger.audit().archive(request(YearMonth.of(2031, 2)), ArchiveStep.Hook.NONE);
            Path january = archives.resolve(MonthArchiver.fileName(YearMonth.of(2031, 1)));
            Files.writeString(january, Files.readString(january).replace("\"5.00\"", "\"6.00\""));
            String before = StoreSql.dump(store(ledger));

            assertThatThrownBy(() -> ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageContaining("restore it");
            assertThat(StoreSql.dump(store(ledger))).isEqualTo(before);
            assertThat(ledger.audit().verifyArchives(archives, signer.verifier(), "witness", List.of()))
                    .singleElement()
                    .satisfies(r -> assertThat(r.valid()).isFalse());
        }
    }

    @Test
    void aMonthWithAnOpenPendingTransferStaysLiveAndTheRunStopsThere() {
        try (Ledger ledger = open()) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("mint", alice.id(), ledger.money("100.00", "EUR"), EntryContext.NONE);
            clock.advance(Duration.ofDays(31));
            LedgerPartitions.ensureAhead(store(ledger), clock.instant());
            ledger.createPending(
                    "hold",
                    EntryType.TRANSFER,
                    alice.id(),
                    bob.id(),
                    ledger.money("5.00", "EUR"),
                    Duration.ofDays(30),
                    EntryContext.NONE);
            clock.advance(Duration.ofDays(62));
            LedgerPartitions.ensureAhead(store(ledger), clock.instant());

            ArchiveReport report = ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE);

            assertThat(report.archived()).extracting(ArchivedMonth::month).containsExactly(YearMonth.of(2031, 1));
            assertThat(report.stoppedAt())
                    .hasValueSatisfying(s -> assertThat(s.month()).isEqualTo(YearMonth.of(2031, 2)));
        }
    }

    @Test
    void anSqliteLedgerIsRefusedWithATypedError() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            assertThatThrownBy(() -> ledger.audit().archive(request(YearMonth.of(2031, 4)), ArchiveStep.Hook.NONE))
                    .isInstanceOfSatisfying(
                            ArchiveException.class,
                            e -> assertThat(e.reason()).isEqualTo(ArchiveException.Reason.UNSUPPORTED_STORE));
        }
    }

    private ArchiveRequest request(YearMonth before) {
        List<String> notes = Files.exists(witness) ? WitnessFile.read(witness) : List.of();
        return new ArchiveRequest(before, archives, signer, "witness", notes);
    }

    private ExportAudit.Result audit(Path file) {
        return new ExportAudit(1, 10, Clock.systemUTC())
                .audit(file, Optional.of(signer.verifier()), true, new AtomicLong());
    }

    private static Map<String, Long> balancesOfAll(Ledger ledger) {
        Map<String, Long> all = new java.util.TreeMap<>();
        for (String name : List.of("alice", "bob", "carol")) {
            Account a = store(ledger).findAccountByUsername(name).orElseThrow();
            store(ledger).balancesOf(a.id()).forEach((c, v) -> all.put(name + "/" + c, v));
        }
        return all;
    }

    /** Five months of entries from January 2031; the clock ends in May, so January to April are closed. */
    private List<LedgerEntry> writeMonths(Ledger ledger) {
        Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        Account carol = ledger.createAccount("carol", "carol@example.com", Role.USER);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) {
            if (m > 0) {
                clock.set(YearMonth.of(2031, 1 + m).atDay(3).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
            }
            LedgerPartitions.ensureAhead(store(ledger), clock.instant());
            entries.add(ledger.mint("mint-" + m, alice.id(), ledger.money("100.00", "EUR"), EntryContext.NONE));
            for (int i = 0; i < TRANSFERS_A_MONTH; i++) {
                clock.advance(Duration.ofHours(1));
                Account from = i % 2 == 0 ? alice : bob;
                Account to = i % 2 == 0 ? bob : carol;
                entries.add(ledger.transfer(
                        "t-" + m + "-" + i,
                        from.id(),
                        to.id(),
                        ledger.money(i % 2 == 0 ? "5.00" : "2.00", "EUR"),
                        EntryContext.NONE));
            }
        }
        return entries;
    }

    private Ledger open() {
        return Ledger.open(TestStores.config(StoreKind.POSTGRES).withClock(clock));
    }

    private static LedgerStore store(Ledger ledger) {
        return LedgerInternals.store(ledger);
    }
}
