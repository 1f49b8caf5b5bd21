package dev.tally.ledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.AccountLimits;
import dev.tally.core.engine.EntryEffects;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.SupplyReport;
import dev.tally.ledger.internal.LedgerInternals;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The invariants every test ledger must keep, checked from the stored rows: the chain links and hashes,
 * gross = tax + net, conservation of money per currency, no balance below minus its account's credit limit
 * (no negative balance at all without one), and stored balances equal
 * to the replay of the entries.
 */
public final class Invariants {
    private Invariants() {}

    /** Asserts every invariant and returns the number of entries. */
    public static long assertHold(Ledger ledger) {
        Map<String, Long> replayed = new HashMap<>();
        long[] count = {0};
        Hash[] previous = {Hash.ZERO};
        LedgerInternals.store(ledger).streamEntries(1, Long.MAX_VALUE, e -> {
            count[0]++;
            assertThat(e.seq()).as("seq continuity").isEqualTo(count[0]);
            assertThat(e.previousHash()).as("chain link at seq %d", e.seq()).isEqualTo(previous[0]);
            assertThat(e.hashMatches()).as("hash of seq %d", e.seq()).isTrue();
            if (e.type().settlesPending()) {
                // A post or void settles the pending gross: what is not posted (tax + net) goes back to the sender.
                assertThat(e.taxWithheld() + e.amountNet())
                        .as("tax + net <= gross at seq %d", e.seq())
                        .isBetween(0L, e.amountGross());
            } else {
                assertThat(e.amountGross())
                        .as("gross = tax + net at seq %d", e.seq())
                        .isEqualTo(e.taxWithheld() + e.amountNet());
            }
            previous[0] = e.currentHash();
            EntryEffects.apply(e, Rules.TREASURY_ID, new EntryEffects.Sink() {
                @Override
                public void balance(UUID account, String currency, long delta) {
                    replayed.merge(account + "/" + currency, delta, Long::sum);
                }

                @Override
                public void treasuryTotal(String currency, TaxKind kind, long delta) {}

                @Override
                public void supply(String currency, long minted, long burned) {}
            });
            return true;
        });
        assertThat(LedgerInternals.store(ledger).loadHead().seq())
                .as("chain head")
                .isEqualTo(count[0]);
        Map<String, Long> stored = new HashMap<>();
        Map<UUID, AccountLimits> limits = LedgerInternals.store(ledger).accountLimits();
        LedgerInternals.store(ledger).streamBalances((account, currency, amount) -> {
            long credit = limits.getOrDefault(account, AccountLimits.NONE)
                    .of(currency)
                    .creditLimit();
            assertThat(amount)
                    .as("balance of %s in %s, credit limit %d", account, currency, credit)
                    .isGreaterThanOrEqualTo(-credit);
            if (amount != 0) {
                stored.put(account + "/" + currency, amount);
            }
        });
        replayed.values().removeIf(v -> v == 0);
        assertThat(stored).as("stored balances equal the replay of the entries").isEqualTo(replayed);
        for (SupplyReport s : ledger.reads().supply()) {
            assertThat(s.conserved())
                    .as("conservation of %s", s.currency().code())
                    .isTrue();
        }
        return count[0];
    }

    /** The entry count of the ledger. */
    public static long entryCount(Ledger ledger) {
        return LedgerInternals.store(ledger).loadHead().seq();
    }

    /** Whether an entry is the one committed under its transaction id. */
    public static boolean isStored(Ledger ledger, LedgerEntry e) {
        return ledger.reads().findEntry(e.transactionId()).map(e::equals).orElse(false);
    }
}
