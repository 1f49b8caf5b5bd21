package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * verifyChainIntegrity() against an attacker with database access: each test tampers with a real ledger
 * through plain SQL, below the library, and checks the exact error_type, index and transaction_id reported.
 * The ledger: seq 1 mints to alice ({@code mint-1}), then transfers {@code tx-2} ... {@code tx-20}.
 */
class ChainVerificationTest {
    private static final int ENTRIES = 20;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedLedgerIsValid(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertThat(r.valid()).isTrue();
            assertThat(r.findings()).isEmpty();
            Map<String, Object> json = r.toMap();
            assertThat(json.keySet())
                    .startsWith(
                            "valid",
                            "message",
                            "total_transactions",
                            "first_transaction",
                            "last_transaction",
                            "verification_time_ms",
                            "performance",
                            "next_recommended_check");
            assertThat(json)
                    .containsEntry("message", "✅ Blockchain integrity verified: All 20 transactions are valid")
                    .containsEntry("total_transactions", 20L)
                    .containsEntry("mode", "full")
                    .containsEntry("verified_range", Map.of("from_seq", 1L, "to_seq", 20L));
            assertThat(map(json, "first_transaction")).containsEntry("id", "mint-1");
            assertThat(map(json, "last_transaction")).containsEntry("id", "tx-20");
            assertThat((String) map(json, "last_transaction").get("timestamp"))
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(map(json, "performance"))
                    .containsKeys("transactions_per_second", "average_time_per_transaction_ms");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEmptyLedgerIsValidFullyAndIncrementally(StoreKind kind) {
        try (dev.tally.ledger.Ledger ledger = dev.tally.ledger.testing.TestStores.freshLedger(kind)) {
            VerificationReport full = ledger.audit()
                    .verifyChainIntegrity(VerifyOptions.full().withAnchorKey(IncrementalVerificationTest.KEY));
            VerificationReport incremental = ledger.audit()
                    .verifyChainIntegrity(VerifyOptions.incremental().withAnchorKey(IncrementalVerificationTest.KEY));

            assertThat(full.valid()).isTrue();
            assertThat(full.toMap()).containsEntry("total_transactions", 0L).doesNotContainKey("first_transaction");
            assertThat(incremental.valid()).isTrue();
            assertThat(ledger.audit().history(5)).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangedAmountIsTransactionTampered(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 1000000, amount_net = amount_net + 1000000 WHERE seq = 7");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.TRANSACTION_TAMPERED, 6, "tx-7");
            assertThat(errors(r)).containsExactly(tuple(FindingType.TRANSACTION_TAMPERED, 6L, Optional.of("tx-7")));
            Map<String, Object> json = r.toMap();
            assertThat(json.keySet())
                    .startsWith(
                            "valid",
                            "error_type",
                            "message",
                            "corrupted_transaction",
                            "hash_integrity_failure",
                            "previous_transaction",
                            "transactions_verified_before_failure",
                            "total_transactions",
                            "verification_time_ms",
                            "security_recommendation");
            assertThat(json)
                    .containsEntry("message", "Transaction #7 has been tampered with")
                    .containsEntry("transactions_verified_before_failure", 6L)
                    .containsEntry(
                            "security_recommendation",
                            "CRITICAL: Transaction data was modified. Investigate admin access logs. Restore from backup.");
            assertThat(map(json, "corrupted_transaction"))
                    .containsEntry("amount_gross", "10002.00")
                    .containsEntry("amount_net", "10001.98")
                    .containsEntry("tax_withheld", "0.02")
                    .containsEntry("currency", "EUR")
                    .containsEntry("type", "TRANSFER")
                    .containsEntry("ip_address", "192.168.1.100")
                    .containsEntry("user_agent", "Mozilla/5.0")
                    .containsEntry("sender", f.bob.id().toString())
                    .containsEntry("receiver", f.alice.id().toString());
            assertThat(map(json, "hash_integrity_failure"))
                    .containsEntry("stored_hash", f.entry(7).currentHash().hex())
                    .containsEntry("difference", "Hashes do not match - data was modified after creation");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangedSenderIsTransactionTampered(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql("UPDATE ledger_entries SET sender_id = ? WHERE seq = 12", f.bob.id());

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.TRANSACTION_TAMPERED, 11, "tx-12");
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.TRANSACTION_TAMPERED, 11L, Optional.of("tx-12")),
                            tuple(FindingType.INVALID_ENTRY, 11L, Optional.of("tx-12")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangedCurrentHashIsTamperedThereAndBreaksTheChainAtTheNext(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql(
                    "UPDATE ledger_entries SET current_hash = ? WHERE seq = 9",
                    Hash.ofHex("ab".repeat(32)).bytes());

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.TRANSACTION_TAMPERED, 8, "tx-9");
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.TRANSACTION_TAMPERED, 8L, Optional.of("tx-9")),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 9L, Optional.of("tx-10")));
            Map<String, Object> broken = r.findings().get(1).toMap();
            assertThat(map(broken, "hash_mismatch_details"))
                    .containsEntry("expected", "ab".repeat(32))
                    .containsEntry("actual", f.entry(10).previousHash().hex());
            assertThat(map(broken, "previous_transaction"))
                    .containsEntry("transaction_id", "tx-9")
                    .containsEntry("current_hash", "ab".repeat(32));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangedPreviousHashBreaksTheChain(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql(
                    "UPDATE ledger_entries SET previous_hash = ? WHERE seq = 15",
                    Hash.ofHex("cd".repeat(32)).bytes());

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.HASH_CHAIN_BROKEN, 14, "tx-15");
            assertThat(r.toMap()).containsEntry("message", "Hash chain broken at transaction #15");
            assertThat(map(r.toMap(), "corrupted_transaction"))
                    .containsEntry("stored_previous_hash", "cd".repeat(32))
                    .containsEntry(
                            "expected_previous_hash", f.entry(14).currentHash().hex());
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.HASH_CHAIN_BROKEN, 14L, Optional.of("tx-15")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 14L, Optional.of("tx-15")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedMiddleRowIsAMissingTransaction(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql("DELETE FROM ledger_entries WHERE seq = 10");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertThat(r.toMap())
                    .containsEntry("error_type", "MISSING_TRANSACTION")
                    .containsEntry("message", "Transaction #10 is missing")
                    .containsEntry("missing_transactions", Map.of("from_index", 9L, "to_index", 9L, "count", 1L));
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.MISSING_TRANSACTION, 9L, Optional.empty()),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 10L, Optional.of("tx-11")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deletedNewestRowsAreMissingTransactionsAgainstTheChainHead(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql("DELETE FROM ledger_entries WHERE seq >= 19");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertThat(errors(r)).containsExactly(tuple(FindingType.MISSING_TRANSACTION, 18L, Optional.empty()));
            assertThat(r.toMap()).containsEntry("message", "Transactions #19 to #20 are missing");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedRowAppendedWithMadeUpHashesBreaksTheChain(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            LedgerEntry copy = f.entry(5);
            f.insert(new LedgerEntry(
                    21,
                    "forged-21",
                    copy.type(),
                    copy.status(),
                    copy.senderId(),
                    copy.receiverId(),
                    copy.currency(),
                    500_000,
                    0,
                    500_000,
                    copy.taxKind(),
                    copy.createdAt(),
                    copy.actor(),
                    copy.ipAddress(),
                    copy.userAgent(),
                    Optional.empty(),
                    Hash.ofHex("12".repeat(32)),
                    Hash.ofHex("34".repeat(32))));

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.HASH_CHAIN_BROKEN, 20, "forged-21");
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.HASH_CHAIN_BROKEN, 20L, Optional.of("forged-21")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 20L, Optional.of("forged-21")),
                            tuple(FindingType.CHAIN_HEAD_MISMATCH, 20L, Optional.of("forged-21")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedRowWithAValidLinkAndHashIsCaughtByTheChainHead(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.insert(LedgerEntry.sealed(
                    21,
                    "forged-21",
                    EntryType.TRANSFER,
                    Optional.of(f.bob.id()),
                    Optional.of(f.alice.id()),
                    "EUR",
                    100,
                    1,
                    99,
                    TaxKind.TRANSFER_TAX,
                    f.entry(20).createdAt(),
                    AuditFixture.WEB,
                    Optional.empty(),
                    f.entry(20).currentHash()));

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertThat(errors(r))
                    .containsExactly(tuple(FindingType.CHAIN_HEAD_MISMATCH, 20L, Optional.of("forged-21")));
            assertThat(r.toMap()).containsEntry("message", "Transactions after #20 are not in the recorded chain head");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aForgedRowBeforeGenesisIsADuplicateTransaction(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            LedgerEntry copy = f.entry(3);
            f.insert(new LedgerEntry(
                    0,
                    "forged-0",
                    copy.type(),
                    copy.status(),
                    copy.senderId(),
                    copy.receiverId(),
                    copy.currency(),
                    copy.amountGross(),
                    copy.taxWithheld(),
                    copy.amountNet(),
                    copy.taxKind(),
                    copy.createdAt(),
                    copy.actor(),
                    copy.ipAddress(),
                    copy.userAgent(),
                    Optional.empty(),
                    Hash.ZERO,
                    Hash.ofHex("56".repeat(32))));

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.DUPLICATE_TRANSACTION, -1, "forged-0");
            assertThat(errors(r))
                    .containsExactly(tuple(FindingType.DUPLICATE_TRANSACTION, -1L, Optional.of("forged-0")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void swappedRowsBreakTheChainAtBothPositions(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql("UPDATE ledger_entries SET seq = -5 WHERE seq = 5");
            f.sql("UPDATE ledger_entries SET seq = 5 WHERE seq = 8");
            f.sql("UPDATE ledger_entries SET seq = 8 WHERE seq = -5");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.HASH_CHAIN_BROKEN, 4, "tx-8");
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.HASH_CHAIN_BROKEN, 4L, Optional.of("tx-8")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 4L, Optional.of("tx-8")),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 5L, Optional.of("tx-6")),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 7L, Optional.of("tx-5")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 7L, Optional.of("tx-5")),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 8L, Optional.of("tx-9")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnreadableRowIsAnInvalidEntryNotACrash(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql("UPDATE ledger_entries SET type = 'HACKED' WHERE seq = 4");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.INVALID_ENTRY, 3, "tx-4");
            assertThat(errors(r)).containsExactly(tuple(FindingType.INVALID_ENTRY, 3L, Optional.of("tx-4")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void severalTamperingsAreAllListedAndTheFirstLeadsTheReport(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 1000000, amount_net = amount_net + 1000000 WHERE seq = 3");
            f.sql("DELETE FROM ledger_entries WHERE seq = 7");
            f.sql(
                    "UPDATE ledger_entries SET current_hash = ? WHERE seq = 12",
                    Hash.ofHex("ef".repeat(32)).bytes());
            f.sql("UPDATE ledger_entries SET sender_id = ? WHERE seq = 18", Rules.TREASURY_ID);

            VerificationReport r = f.ledger.audit().verifyChainIntegrity();

            assertFirst(r, FindingType.TRANSACTION_TAMPERED, 2, "tx-3");
            assertThat(errors(r))
                    .containsExactly(
                            tuple(FindingType.TRANSACTION_TAMPERED, 2L, Optional.of("tx-3")),
                            tuple(FindingType.MISSING_TRANSACTION, 6L, Optional.empty()),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 7L, Optional.of("tx-8")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 11L, Optional.of("tx-12")),
                            tuple(FindingType.HASH_CHAIN_BROKEN, 12L, Optional.of("tx-13")),
                            tuple(FindingType.TRANSACTION_TAMPERED, 17L, Optional.of("tx-18")));
            assertThat(r.errorsTotal()).isEqualTo(6);
            assertThat(r.toMap()).containsEntry("findings_truncated", 0L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFastScanFindsExactlyWhatReadingEveryEntryInFullFinds(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 1000000, amount_net = amount_net + 1000000 WHERE seq = 3");
            f.sql("DELETE FROM ledger_entries WHERE seq = 7");
            f.sql(
                    "UPDATE ledger_entries SET previous_hash = ? WHERE seq = 12",
                    Hash.ofHex("ef".repeat(32)).bytes());
            f.sql("UPDATE ledger_entries SET user_agent = NULL WHERE seq = 14");
            f.sql("UPDATE ledger_entries SET actor = '' WHERE seq = 15");
            f.sql("UPDATE ledger_entries SET tax_kind = 'VAT' WHERE seq = 16");
            f.sql("UPDATE ledger_entries SET status = 'PENDING' WHERE seq = 17");

            VerificationReport fast =
                    f.ledger.audit().verifyChainIntegrity(VerifyOptions.full().withParallelism(3));
            VerificationReport full =
                    f.ledger.audit().verifyChainIntegrity(VerifyOptions.full().withScan(VerifyOptions.Scan.STREAMING));

            assertThat(fast.findings()).isEqualTo(full.findings());
            assertThat(fast.errorsTotal()).isEqualTo(full.errorsTotal()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    @SuppressWarnings("deprecation") // the point: the seed's old name still works
    void verifyBlockchainIsTheDeprecatedAliasOfVerifyChainIntegrity(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 3)) {
            assertThat(f.ledger.audit().verifyBlockchain().valid()).isTrue();
        }
    }

    private static void assertFirst(VerificationReport r, FindingType type, long index, String transactionId) {
        assertThat(r.valid()).as("valid").isFalse();
        Map<String, Object> json = r.toMap();
        assertThat(json).containsEntry("valid", false).containsEntry("error_type", type.name());
        Finding first = r.firstError().orElseThrow();
        assertThat(first.index()).hasValue(index);
        assertThat(first.transactionId()).hasValue(transactionId);
        if (json.containsKey("corrupted_transaction")) {
            assertThat(map(json, "corrupted_transaction"))
                    .containsEntry("index", index)
                    .containsEntry("transaction_id", transactionId);
        }
    }

    private static List<Tuple> errors(VerificationReport r) {
        return r.findings().stream()
                .filter(Finding::isError)
                .map(x -> tuple(x.type(), x.index().orElse(Long.MIN_VALUE), x.transactionId()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }
}
