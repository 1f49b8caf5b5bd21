package dev.tally.store.audit;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small real ledger to audit, and the attacker's tools: plain SQL through JDBC, below the library, as
 * someone with database access would tamper with it.
 */
final class AuditFixture implements AutoCloseable {
    static final EntryContext WEB =
            new EntryContext(Optional.of("api"), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0"));
    final Ledger ledger;
    final Account alice;
    final Account bob;

    private AuditFixture(Ledger ledger) {
        this.ledger = ledger;
        this.alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        this.bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
    }

    /**
     * A ledger of {@code entries} entries: seq 1 mints 100000.00 EUR to alice, then transfers go back and
     * forth, {@code tx-<seq>}: at an even seq alice pays bob 5.00 to 9.00, at an odd one bob pays alice
     * 1.00 to 3.00.
     */
    static AuditFixture of(StoreKind kind, int entries) {
        AuditFixture f = new AuditFixture(TestStores.freshLedger(kind));
        f.ledger.mint("mint-1", f.alice.id(), f.ledger.money("100000.00", "EUR"), EntryContext.actor("admin"));
        f.append(entries - 1);
        return f;
    }

    /** Appends {@code n} more transfers in one batch. */
    List<LedgerEntry> append(int n) {
        long next = LedgerInternals.store(ledger).loadHead().seq() + 1;
        List<Command> commands = new ArrayList<>();
        for (long seq = next; seq < next + n; seq++) {
            boolean fromAlice = seq % 2 == 0;
            commands.add(new Command.Payment(
                    "tx-" + seq,
                    EntryType.TRANSFER,
                    fromAlice ? alice.id() : bob.id(),
                    fromAlice ? bob.id() : alice.id(),
                    ledger.money((fromAlice ? 5 + seq % 5 : 1 + seq % 3) + ".00", "EUR"),
                    WEB));
        }
        ledger.submitAll(commands).join().forEach(o -> {
            if (!o.ok()) {
                throw new IllegalStateException("fixture command refused: " + o);
            }
        });
        return commands.stream()
                .map(c -> ledger.reads()
                        .findEntry(((Command.Payment) c).transactionId())
                        .orElseThrow())
                .toList();
    }

    LedgerEntry entry(long seq) {
        return LedgerInternals.store(ledger).findEntryBySeq(seq).orElseThrow();
    }

    /** Runs one statement below the library; returns the rows it changed. */
    int sql(String sql, Object... params) {
        return StoreSql.execute(LedgerInternals.store(ledger), sql, params);
    }

    /** Inserts a row below the library, as a forger would. */
    void insert(LedgerEntry e) {
        sql(
                "INSERT INTO ledger_entries (seq, transaction_id, type, status, sender_id, receiver_id, currency, amount_gross, "
                        + "tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, reverses_transaction_id, "
                        + "previous_hash, current_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.seq(),
                e.transactionId(),
                e.type().name(),
                e.status().name(),
                e.senderId().orElseThrow(),
                e.receiverId().orElseThrow(),
                e.currency(),
                e.amountGross(),
                e.taxWithheld(),
                e.amountNet(),
                e.taxKind().name(),
                dev.tally.core.ledger.CanonicalEncoding.epochMicros(e.createdAt()),
                e.actor().orElse("forger"),
                e.ipAddress().orElse("10.0.0.1"),
                e.userAgent().orElse("curl"),
                null,
                e.previousHash().bytes(),
                e.currentHash().bytes());
    }

    @Override
    public void close() {
        ledger.close();
    }
}
