package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currencies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The chain checks on in-memory chains, each run both ways: the full check of entries, and the fast way
 * over raw rows with its suspects diagnosed. Both must report the same findings.
 */
class ChainVerifierTest {
    private static final Currencies EUR = Currencies.defaults();

    @Test
    void anUntouchedChainHasNoFindingAndNoSuspect() {
        List<LedgerEntry> chain = TestChains.chain(20);
        ChainVerifier fast = new ChainVerifier(EUR, Link.GENESIS, 100);
        chain.forEach(e -> assertThat(fast.tryAccept(TestChains.raw(e, true))).isTrue());

        assertThat(fast.takeSuspects()).isEmpty();
        assertThat(verify(chain).findings()).isEmpty();
        assertThat(verify(chain).rows()).isEqualTo(20);
        assertThat(verify(chain).last().orElseThrow().hashHex())
                .isEqualTo(chain.get(19).currentHash().hex());
    }

    @Test
    void aChangedAmountIsTamperingAtThatEntryOnly() {
        List<LedgerEntry> chain = TestChains.chain(10);
        chain.set(4, TestChains.edit(chain.get(4), f -> f.amounts(999_900, 999_890)));

        assertThat(summary(verify(chain)))
                .containsExactly(tuple(FindingType.TRANSACTION_TAMPERED, 5L, Optional.of("tx-5")));
    }

    @Test
    void aGrossThatIsNotTaxPlusNetIsAlsoAnInvalidEntry() {
        List<LedgerEntry> chain = TestChains.chain(10);
        chain.set(4, TestChains.edit(chain.get(4), f -> f.gross(5_000)));

        assertThat(summary(verify(chain)))
                .containsExactly(
                        tuple(FindingType.TRANSACTION_TAMPERED, 5L, Optional.of("tx-5")),
                        tuple(FindingType.INVALID_ENTRY, 5L, Optional.of("tx-5")));
    }

    @Test
    void aChangedCurrentHashIsTamperingThereAndABrokenChainAtTheNext() {
        List<LedgerEntry> chain = TestChains.chain(10);
        chain.set(4, TestChains.edit(chain.get(4), f -> f.current(Hash.ofHex("ab".repeat(32)))));

        assertThat(summary(verify(chain)))
                .containsExactly(
                        tuple(FindingType.TRANSACTION_TAMPERED, 5L, Optional.of("tx-5")),
                        tuple(FindingType.HASH_CHAIN_BROKEN, 6L, Optional.of("tx-6")));
    }

    @Test
    void aChangedPreviousHashBreaksTheChainAndTheHashOfThatEntry() {
        List<LedgerEntry> chain = TestChains.chain(10);
        chain.set(4, TestChains.edit(chain.get(4), f -> f.previous(Hash.ofHex("cd".repeat(32)))));

        ChainVerifier.RangeResult result = verify(chain);
        assertThat(summary(result))
                .containsExactly(
                        tuple(FindingType.HASH_CHAIN_BROKEN, 5L, Optional.of("tx-5")),
                        tuple(FindingType.TRANSACTION_TAMPERED, 5L, Optional.of("tx-5")));
        Map<String, Object> details = result.findings().get(0).details();
        assertThat(details.get("hash_mismatch_details"))
                .isEqualTo(Map.of(
                        "expected",
                        chain.get(3).currentHash().hex(),
                        "actual",
                        "cd".repeat(32),
                        "difference",
                        "Hash chain discontinuity detected"));
        assertThat(details.get("previous_transaction"))
                .isEqualTo(Map.of(
                        "transaction_id",
                        "tx-4",
                        "index",
                        3L,
                        "current_hash",
                        chain.get(3).currentHash().hex()));
    }

    @Test
    void theGenesisEntryMustLinkToZeros() {
        List<LedgerEntry> chain = TestChains.chain(3);
        chain.set(0, TestChains.edit(chain.get(0), f -> f.previous(Hash.ofHex("01".repeat(32)))));

        assertThat(summary(verify(chain)).get(0))
                .isEqualTo(tuple(FindingType.HASH_CHAIN_BROKEN, 1L, Optional.of("mint-1")));
    }

    @Test
    void aDeletedRowIsAMissingTransactionAndBreaksTheNextLink() {
        List<LedgerEntry> chain = TestChains.chain(10);
        chain.remove(4);

        ChainVerifier.RangeResult result = verify(chain);
        assertThat(summary(result))
                .containsExactly(
                        tuple(FindingType.MISSING_TRANSACTION, 5L, Optional.empty()),
                        tuple(FindingType.HASH_CHAIN_BROKEN, 6L, Optional.of("tx-6")));
        assertThat(result.findings().get(0).details().get("missing_transactions"))
                .isEqualTo(Map.of("from_index", 4L, "to_index", 4L, "count", 1L));
    }

    @Test
    void aRowAtAPositionNotAfterItsPredecessorIsADuplicate() {
        List<LedgerEntry> chain = TestChains.chain(5);
        LedgerEntry forged = TestChains.edit(chain.get(2), f -> f.seq(0));
        chain.add(0, forged);

        assertThat(summary(verify(chain)))
                .containsExactly(tuple(FindingType.DUPLICATE_TRANSACTION, 0L, Optional.of("tx-3")));
    }

    @Test
    void anEntryOlderThanItsPredecessorIsOnlyAWarning() {
        List<LedgerEntry> chain = TestChains.chain(5);
        LedgerEntry e = chain.get(3);
        chain.set(
                3,
                LedgerEntry.sealed(
                        e.seq(),
                        e.transactionId(),
                        e.type(),
                        e.senderId(),
                        e.receiverId(),
                        e.currency(),
                        e.amountGross(),
                        e.taxWithheld(),
                        e.amountNet(),
                        e.taxKind(),
                        TestChains.T0.minusSeconds(60),
                        new dev.tally.core.ledger.EntryContext(e.actor(), e.ipAddress(), e.userAgent()),
                        e.reverses(),
                        e.previousHash()));
        chain.set(4, reseal(chain.get(4), chain.get(3).currentHash()));

        ChainVerifier.RangeResult result = verify(chain);
        assertThat(summary(result)).containsExactly(tuple(FindingType.TIMESTAMP_OUT_OF_ORDER, 4L, Optional.of("tx-4")));
        assertThat(result.errorsTotal()).isZero();
    }

    @Test
    void anUnreadableRowIsAnInvalidEntry() {
        List<LedgerEntry> chain = TestChains.chain(5);
        ChainVerifier full = new ChainVerifier(EUR, Link.GENESIS, 100);
        for (LedgerEntry e : chain) {
            full.accept(
                    e.seq() == 3
                            ? new StoredRow.Malformed(3, Optional.of("tx-3"), "No enum constant HACKED")
                            : new StoredRow.Readable(e));
        }

        assertThat(summary(full.result())).containsExactly(tuple(FindingType.INVALID_ENTRY, 3L, Optional.of("tx-3")));
    }

    @Test
    void keepsTheFirstFindingsAndCountsTheRest() {
        List<LedgerEntry> chain = TestChains.chain(30);
        chain.replaceAll(e -> e.seq() > 1 ? TestChains.edit(e, f -> f.amounts(1_100, 1_090)) : e);
        ChainVerifier verifier = new ChainVerifier(EUR, Link.GENESIS, 5);
        chain.forEach(e -> verifier.accept(new StoredRow.Readable(e)));

        ChainVerifier.RangeResult result = verifier.result();
        assertThat(result.findings()).hasSize(5);
        assertThat(result.findingsTotal()).isEqualTo(29);
        assertThat(result.firstError().orElseThrow().seq()).hasValue(2);
    }

    @Property(tries = 50)
    void rangesVerifiedFromTheirStoredPredecessorFindWhatOneRunFinds(
            @ForAll @IntRange(min = 2, max = 39) int cut, @ForAll @IntRange(min = 1, max = 40) int damaged) {
        List<LedgerEntry> chain = TestChains.chain(40);
        chain.set(damaged - 1, TestChains.edit(chain.get(damaged - 1), f -> f.current(Hash.ofHex("ee".repeat(32)))));
        ChainVerifier first = new ChainVerifier(EUR, Link.GENESIS, 100);
        chain.subList(0, cut - 1).forEach(e -> first.accept(new StoredRow.Readable(e)));
        ChainVerifier second = new ChainVerifier(EUR, ChainVerifier.linkOf(chain.get(cut - 2)), 100);
        chain.subList(cut - 1, 40).forEach(e -> second.accept(new StoredRow.Readable(e)));

        List<Finding> split = new ArrayList<>(first.result().findings());
        split.addAll(second.result().findings());
        assertThat(split).isEqualTo(verify(chain).findings());
    }

    /** Verifies both ways, asserts they agree, and returns the full check's result. */
    private static ChainVerifier.RangeResult verify(List<LedgerEntry> chain) {
        ChainVerifier full = new ChainVerifier(EUR, Link.GENESIS, 100);
        chain.forEach(e -> full.accept(new StoredRow.Readable(e)));
        ChainVerifier fast = new ChainVerifier(EUR, Link.GENESIS, 100);
        Map<Long, LedgerEntry> bySeq = chain.stream().collect(Collectors.toMap(LedgerEntry::seq, Function.identity()));
        chain.forEach(e -> fast.tryAccept(TestChains.raw(e, false)));
        fast.takeSuspects().forEach(s -> fast.diagnose(s, new StoredRow.Readable(bySeq.get(s.seq()))));
        assertThat(fast.result().findings())
                .as("the fast way finds what the full check finds")
                .isEqualTo(full.result().findings());
        assertThat(fast.result().rows()).isEqualTo(full.result().rows());
        return full.result();
    }

    private static List<org.assertj.core.groups.Tuple> summary(ChainVerifier.RangeResult r) {
        return r.findings().stream()
                .map(f -> tuple(f.type(), f.seq().orElse(-1), f.transactionId()))
                .toList();
    }

    private static LedgerEntry reseal(LedgerEntry e, Hash previous) {
        return LedgerEntry.sealed(
                e.seq(),
                e.transactionId(),
                e.type(),
                e.senderId(),
                e.receiverId(),
                e.currency(),
                e.amountGross(),
                e.taxWithheld(),
                e.amountNet(),
                e.taxKind(),
                e.createdAt(),
                new dev.tally.core.ledger.EntryContext(e.actor(), e.ipAddress(), e.userAgent()),
                e.reverses(),
                previous);
    }
}
