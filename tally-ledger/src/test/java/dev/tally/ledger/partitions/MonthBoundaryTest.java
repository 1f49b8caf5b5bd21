package dev.tally.ledger.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.command.Command;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.LedgerPartitions;
import dev.tally.store.testing.PartitionSql;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import dev.tally.verify.InclusionProof;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL ledger whose clock moves through several months, so that its entries lie in several monthly
 * partitions: the chain, the Merkle tree, history paging, idempotency, verification and proofs behave exactly
 * as on one table.
 */
class MonthBoundaryTest {
    private static final Instant JANUARY = Instant.parse("2031-01-20T10:00:00Z");
    private static final int MONTHS = 6;
    private static final int TRANSFERS_A_MONTH = 5;

    private final SettableClock clock = new SettableClock(JANUARY);

    @Test
    void theCurrentMonthAndTheNextThreeHavePartitionsFromTheMomentTheLedgerOpens() {
        try (Ledger ledger = open()) {
            assertThat(LedgerPartitions.list(store(ledger)))
                    .contains(
                            "ledger_entries_2031_01",
                            "ledger_entries_2031_02",
                            "ledger_entries_2031_03",
                            "ledger_entries_2031_04")
                    .doesNotContain("ledger_entries_2031_05");
        }
    }

    @Test
    void thePeriodicTaskCreatesTheMonthsThatComeIntoReachAndNothingTwice() {
        try (Ledger ledger = open()) {
            clock.set(Instant.parse("2031-03-02T00:00:00Z"));
            assertThat(LedgerPartitions.ensureAhead(store(ledger), clock.instant()))
                    .containsExactly(
                            "ledger_entries_2031_03",
                            "ledger_entries_2031_04",
                            "ledger_entries_2031_05",
                            "ledger_entries_2031_06");
            List<String> before = LedgerPartitions.list(store(ledger));
            LedgerPartitions.ensureAhead(store(ledger), clock.instant());
            assertThat(LedgerPartitions.list(store(ledger))).isEqualTo(before);
        }
    }

    @Test
    void aWriteIntoAMonthWithoutAPartitionIsRefusedWholeAndWritesNothing() {
        try (Ledger ledger = open()) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.mint("mint-jan", alice.id(), ledger.money("10.00", "EUR"), EntryContext.NONE);
            String before = StoreSql.dump(store(ledger));
            clock.set(JANUARY.plus(Duration.ofDays(200)));

            assertThatThrownBy(
                            () -> ledger.mint("mint-aug", alice.id(), ledger.money("10.00", "EUR"), EntryContext.NONE))
                    .isInstanceOf(RuntimeException.class);
            assertThat(StoreSql.dump(store(ledger))).isEqualTo(before);
        }
    }

    @Test
    void writesGoOnWhileTheNextMonthsPartitionIsBeingCreated() throws Exception {
        try (Ledger ledger = open()) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            AutoCloseable creating = PartitionSql.creatingPartition(store(ledger), YearMonth.of(2031, 9));
            try {
                java.util.concurrent.CompletableFuture<LedgerEntry> write =
                        java.util.concurrent.CompletableFuture.supplyAsync(() ->
                                ledger.mint("during-ddl", alice.id(), ledger.money("1.00", "EUR"), EntryContext.NONE));
                assertThat(write.get(20, java.util.concurrent.TimeUnit.SECONDS).seq())
                        .isEqualTo(1);
            } finally {
                creating.close();
            }
            assertThat(LedgerPartitions.list(store(ledger))).contains("ledger_entries_2031_09");
        }
    }

    @Test
    void entriesAcrossSixMonthsLieInTheirMonthsPartitionsAndTheChainVerifiesFully() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);

            Map<String, Long> rows = PartitionSql.rowsPerPartition(store(ledger));
            for (int m = 0; m < MONTHS; m++) {
                YearMonth month =
                        YearMonth.from(JANUARY.atOffset(ZoneOffset.UTC)).plusMonths(m);
                assertThat(rows)
                        .as("partition of %s", month)
                        .containsEntry(partitionOf(month), (long) TRANSFERS_A_MONTH + 1);
            }
            VerificationReport report = ledger.audit().verifyChainIntegrity();
            assertThat(report.valid()).isTrue();
            assertThat(report.transactionsVerified()).isEqualTo(entries.size());
            assertThat(ledger.audit().reconcile().valid()).isTrue();
        }
    }

    @Test
    void anIncrementalVerificationStartsInOneMonthAndEndsInAnother() {
        AnchorKey key = new AnchorKey(new byte[AnchorKey.LENGTH]);
        try (Ledger ledger = open()) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.mint("mint-1", alice.id(), ledger.money("10.00", "EUR"), EntryContext.NONE);
            assertThat(ledger.audit()
                            .verifyChainIntegrity(VerifyOptions.full().withAnchorKey(key))
                            .valid())
                    .isTrue();
            clock.advance(Duration.ofDays(40));
            ensureAhead(ledger);
            ledger.mint("mint-2", alice.id(), ledger.money("10.00", "EUR"), EntryContext.NONE);
            ledger.mint("mint-3", alice.id(), ledger.money("10.00", "EUR"), EntryContext.NONE);

            VerificationReport incremental = ledger.audit()
                    .verifyChainIntegrity(VerifyOptions.incremental().withAnchorKey(key));
            assertThat(incremental.valid()).isTrue();
            assertThat(incremental.mode()).isEqualTo(VerifyOptions.Mode.INCREMENTAL);
            assertThat(incremental.fromSeq()).isEqualTo(2);
            assertThat(incremental.toSeq()).isEqualTo(3);
        }
    }

    @Test
    void inclusionProofsOfEntriesInEveryMonthVerifyAgainstTheWholeTree() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);
            MerkleLog log = ledger.log().merkleLog();
            assertThat(log.size()).isEqualTo(entries.size());
            for (LedgerEntry e : entries) {
                InclusionProof proof = log.inclusionProof(e.transactionId(), log.size());
                assertThat(proof.leafIdx()).isEqualTo(e.seq() - 1);
                assertThat(proof.verify()).as("proof of %s", e.transactionId()).isTrue();
            }
            assertThat(log.consistencyProof(TRANSFERS_A_MONTH + 1, log.size()).verify())
                    .isTrue();
        }
    }

    @Test
    void historyPagesWalkBackThroughEveryMonthWithoutLosingOrRepeatingAnEntry() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);
            Account bob = ledger.reads().findAccount("bob").orElseThrow();
            List<LedgerEntry> expected = entries.stream()
                    .filter(e -> e.senderId().equals(Optional.of(bob.id()))
                            || e.receiverId().equals(Optional.of(bob.id())))
                    .sorted(Comparator.comparing(LedgerEntry::createdAt)
                            .thenComparingLong(LedgerEntry::seq)
                            .reversed())
                    .toList();

            List<LedgerEntry> paged = new ArrayList<>();
            Optional<HistoryQuery.Cursor> cursor = Optional.empty();
            int pages = 0;
            while (true) {
                List<LedgerEntry> page =
                        ledger.reads().history(new HistoryQuery(bob.id(), HistoryQuery.Direction.ALL, cursor, 4));
                if (page.isEmpty()) {
                    break;
                }
                pages++;
                paged.addAll(page);
                cursor = Optional.of(HistoryQuery.Cursor.after(page.get(page.size() - 1)));
            }
            assertThat(paged).containsExactlyElementsOf(expected);
            assertThat(pages).isGreaterThan(MONTHS);
        }
    }

    @Test
    void aTransactionIdTakenInOneMonthIsRefusedInALaterOneAndTheStoreIsUnchanged() {
        try (Ledger ledger = open()) {
            writeMonths(ledger);
            Account alice = ledger.reads().findAccount("alice").orElseThrow();
            Account bob = ledger.reads().findAccount("bob").orElseThrow();
            String before = StoreSql.dump(store(ledger));

            assertThatThrownBy(() -> ledger.transfer(
                            "t-0-0", alice.id(), bob.id(), ledger.money("3.33", "EUR"), EntryContext.NONE))
                    .isInstanceOfSatisfying(
                            RejectedException.class,
                            r -> assertThat(r.code()).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION));
            assertThat(StoreSql.dump(store(ledger))).isEqualTo(before);
        }
    }

    @Test
    void theSameTransactionInALaterMonthReplaysTheJanuaryEntry() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);
            LedgerEntry january = entries.get(1);
            LedgerEntry replay = ledger.transfer(
                    january.transactionId(),
                    january.senderId().orElseThrow(),
                    january.receiverId().orElseThrow(),
                    ledger.money("1.00", "EUR"),
                    EntryContext.NONE);
            assertThat(replay).isEqualTo(january);
            assertThat(ledger.reads().head().seq()).isEqualTo(entries.size());
        }
    }

    @Test
    void anEntryOfJanuaryIsReversedOnceInJuneAndASecondReversalIsRefused() {
        try (Ledger ledger = open()) {
            List<LedgerEntry> entries = writeMonths(ledger);
            LedgerEntry january = entries.get(1);
            LedgerEntry reversal = ledger.reverse("undo-1", january.transactionId(), EntryContext.actor("admin"));
            assertThat(reversal.reverses()).contains(january.transactionId());

            assertThatThrownBy(() -> ledger.reverse("undo-2", january.transactionId(), EntryContext.actor("admin")))
                    .isInstanceOf(RejectedException.class);
            assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        }
    }

    @Test
    void aLedgerWrittenBeforePartitioningIsMovedIntoItsMonthsAndStillVerifiesProvesAndRefusesDuplicates() {
        List<LedgerEntry> entries;
        String unpartitioned;
        byte[] root;
        try (Ledger source = open()) {
            entries = writeMonths(source);
            root = source.log().merkleLog().root(entries.size());
            unpartitioned = PartitionSql.copyIntoV7Schema(store(source));
        }
        assertThat(StoreSql.queryLongAt(unpartitioned, "SELECT count(*) FROM ledger_entries"))
                .isEqualTo(entries.size());
        assertThat(StoreSql.queryLongAt(unpartitioned, "SELECT count(*) FROM pg_partitioned_table"))
                .isZero();

        try (Ledger migrated = Ledger.open(TestStores.config(StoreKind.POSTGRES)
                .withLocation(unpartitioned)
                .withClock(clock))) {
            Map<String, Long> rows = PartitionSql.rowsPerPartition(store(migrated));
            assertThat(rows.values().stream().filter(n -> n > 0).toList())
                    .containsOnly((long) TRANSFERS_A_MONTH + 1)
                    .hasSize(MONTHS);
            assertThat(migrated.audit().verifyChainIntegrity().valid()).isTrue();
            assertThat(migrated.audit().reconcile().valid()).isTrue();
            MerkleLog log = migrated.log().merkleLog();
            assertThat(log.root(entries.size())).isEqualTo(root);
            for (LedgerEntry e : entries) {
                assertThat(migrated.reads().findEntry(e.transactionId())).contains(e);
                assertThat(migrated.reads().findEntryBySeq(e.seq())).contains(e);
                assertThat(log.inclusionProof(e.transactionId(), log.size()).verify())
                        .isTrue();
            }
            Account alice = migrated.reads().findAccount("alice").orElseThrow();
            Account bob = migrated.reads().findAccount("bob").orElseThrow();
            assertThatThrownBy(() -> migrated.transfer(
                            "t-0-0", alice.id(), bob.id(), migrated.money("3.33", "EUR"), EntryContext.NONE))
                    .isInstanceOfSatisfying(
                            RejectedException.class,
                            r -> assertThat(r.code()).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION));
            migrated.transfer("after", alice.id(), bob.id(), migrated.money("3.33", "EUR"), EntryContext.NONE);
            assertThat(migrated.audit().verifyChainIntegrity().valid()).isTrue();
        }
    }

    @Test
    void historyAndIdempotencyLookupsReadOnlyThePartitionsOfTheMonthsTheyNeed() {
        try (Ledger ledger = open()) {
            // Enough rows that the planner prefers the indexes to reading small tables whole.
            List<Account> accounts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                accounts.add(ledger.createAccount("user" + i, "user" + i + "@example.com", Role.USER));
            }
            for (Account a : accounts) {
                ledger.mint("mint-" + a.username(), a.id(), ledger.money("1000.00", "EUR"), EntryContext.NONE);
            }
            java.util.Random random = new java.util.Random(12);
            List<Long> firstSeqOfMonth = new ArrayList<>();
            for (int m = 0; m < 4; m++) {
                ensureAhead(ledger);
                firstSeqOfMonth.add(ledger.reads().head().seq() + 1);
                List<Command> commands = new ArrayList<>();
                for (int i = 0; i < 4000; i++) {
                    Account from = accounts.get(random.nextInt(accounts.size()));
                    Account to = accounts.get(random.nextInt(accounts.size()));
                    if (!from.equals(to)) {
                        commands.add(new Command.Payment(
                                "p-" + m + "-" + i,
                                EntryType.TRANSFER,
                                from.id(),
                                to.id(),
                                ledger.money("0.01", "EUR"),
                                EntryContext.NONE));
                    }
                }
                ledger.submitAll(commands).join();
                clock.advance(Duration.ofDays(31));
            }
            PartitionSql.analyze(store(ledger));
            UUID someone = accounts.get(7).id();

            String newestPage = PartitionSql.explain(
                    store(ledger),
                    "SELECT * FROM ledger_entries WHERE receiver_id = '" + someone
                            + "' ORDER BY created_at DESC, seq DESC LIMIT 20");
            java.util.Set<String> withRows = new java.util.TreeSet<>();
            PartitionSql.rowsPerPartition(store(ledger)).forEach((name, rows) -> {
                if (rows > 0) {
                    withRows.add(name);
                }
            });
            assertThat(sequentiallyScanned(newestPage)).as(newestPage).doesNotContainAnyElementsOf(withRows);
            // The empty months ahead are probed (one index descent each); April fills the page; nothing older is read.
            assertThat(partitionsRead(newestPage))
                    .as(newestPage)
                    .contains("ledger_entries_2031_04")
                    .doesNotContain("ledger_entries_2031_03", "ledger_entries_2031_02", "ledger_entries_2031_01");

            LedgerEntry second =
                    ledger.reads().findEntryBySeq(firstSeqOfMonth.get(1) + 10).orElseThrow();
            long at = micros(second.createdAt());
            String olderPage = PartitionSql.explain(
                    store(ledger),
                    "SELECT * FROM ledger_entries WHERE receiver_id = '" + someone + "' AND created_at <= " + at
                            + " AND (created_at, seq) < (" + at + ", " + second.seq()
                            + ") ORDER BY created_at DESC, seq DESC LIMIT 20");
            assertThat(sequentiallyScanned(olderPage)).as(olderPage).doesNotContainAnyElementsOf(withRows);
            assertThat(partitionsRead(olderPage))
                    .as(olderPage)
                    .containsAnyOf("ledger_entries_2031_02", "ledger_entries_2031_01")
                    .doesNotContain("ledger_entries_2031_03", "ledger_entries_2031_04", "ledger_entries_2031_05");

            String idempotency = PartitionSql.explain(
                    store(ledger),
                    "SELECT e.* FROM ledger_entry_keys k JOIN ledger_entries e ON e.seq = k.seq "
                            + "AND e.created_at = k.created_at WHERE k.transaction_id = ANY (ARRAY['p-0-5', 'p-3-9'])");
            assertThat(idempotency).as(idempotency).contains("ledger_entry_keys_transaction_id_uq");
            assertThat(sequentiallyScanned(idempotency)).as(idempotency).doesNotContainAnyElementsOf(withRows);
            assertThat(partitionsRead(idempotency))
                    .as(idempotency)
                    .containsExactlyInAnyOrder("ledger_entries_2031_01", "ledger_entries_2031_04");
            System.out.println("EXPLAIN newest history page:\n" + newestPage + "\nEXPLAIN older history page:\n"
                    + olderPage + "\nEXPLAIN idempotency lookup:\n" + idempotency);
        }
    }

    /** The partitions of ledger_entries whose scan ran at least once in a plan. */
    private static java.util.Set<String> partitionsRead(String plan) {
        java.util.regex.Pattern scan = java.util.regex.Pattern.compile(".*Scan.* on (ledger_entries_\\d{4}_\\d{2}) .*");
        java.util.Set<String> read = new java.util.TreeSet<>();
        plan.lines().filter(l -> !l.contains("never executed")).forEach(l -> {
            java.util.regex.Matcher m = scan.matcher(l);
            if (m.matches()) {
                read.add(m.group(1));
            }
        });
        return read;
    }

    /** The partitions of ledger_entries a plan read whole. */
    private static java.util.Set<String> sequentiallyScanned(String plan) {
        java.util.Set<String> read = new java.util.TreeSet<>();
        java.util.regex.Pattern seq =
                java.util.regex.Pattern.compile(".*Seq Scan on (ledger_entries_\\d{4}_\\d{2}) .*");
        plan.lines().forEach(l -> {
            java.util.regex.Matcher m = seq.matcher(l);
            if (m.matches()) {
                read.add(m.group(1));
            }
        });
        return read;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    @Test
    void anImportOfSixMonthsCreatesThePartitionsOfThoseMonthsAndVerifies() throws java.io.IOException {
        java.nio.file.Path file =
                java.nio.file.Files.createTempDirectory("tally-months-").resolve("ledger.jsonl");
        List<LedgerEntry> entries;
        try (Ledger source = open()) {
            entries = writeMonths(source);
            source.audit().export(file, new java.util.concurrent.atomic.AtomicLong());
        }
        dev.tally.store.export.ExportAudit.Result audit = new dev.tally.store.export.ExportAudit(
                        1, 10, java.time.Clock.systemUTC())
                .audit(file, Optional.empty(), true, new java.util.concurrent.atomic.AtomicLong());
        assertThat(audit.valid()).isTrue();
        String target = TestStores.freshLocation(StoreKind.POSTGRES);
        try (LedgerStore store = dev.tally.store.Stores.open(target)) {
            dev.tally.store.export.ExportRestorer.restore(store, audit);
            assertThat(PartitionSql.rowsPerPartition(store).values().stream()
                            .filter(n -> n > 0)
                            .toList())
                    .hasSize(MONTHS);
        }
        try (Ledger restored = Ledger.open(
                TestStores.config(StoreKind.POSTGRES).withLocation(target).withClock(clock))) {
            assertThat(restored.audit().verifyChainIntegrity().transactionsVerified())
                    .isEqualTo(entries.size());
            assertThat(restored.reads().findEntry("t-0-0")).contains(entries.get(1));
        }
    }

    /**
     * Three accounts; each month a mint and {@value #TRANSFERS_A_MONTH} transfers, then the clock moves on a
     * month (and the store's periodic task runs, as it would on its own within the hour).
     */
    private List<LedgerEntry> writeMonths(Ledger ledger) {
        Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        Account carol = ledger.createAccount("carol", "carol@example.com", Role.USER);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) {
            ensureAhead(ledger);
            entries.add(ledger.mint("mint-" + m, alice.id(), ledger.money("100.00", "EUR"), EntryContext.NONE));
            for (int i = 0; i < TRANSFERS_A_MONTH; i++) {
                clock.advance(Duration.ofHours(1));
                Account from = i % 2 == 0 ? alice : bob;
                Account to = i % 2 == 0 ? bob : carol;
                String amount = i % 2 == 0 ? "1.00" : "0.50";
                entries.add(ledger.transfer(
                        "t-" + m + "-" + i, from.id(), to.id(), ledger.money(amount, "EUR"), EntryContext.NONE));
            }
            clock.advance(Duration.ofDays(31));
        }
        return entries;
    }

    private void ensureAhead(Ledger ledger) {
        LedgerPartitions.ensureAhead(store(ledger), clock.instant());
    }

    private Ledger open() {
        return Ledger.open(TestStores.config(StoreKind.POSTGRES).withClock(clock));
    }

    private static LedgerStore store(Ledger ledger) {
        return LedgerInternals.store(ledger);
    }

    private static String partitionOf(YearMonth month) {
        return String.format("ledger_entries_%04d_%02d", month.getYear(), month.getMonthValue());
    }
}
