package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random operation sequences on both real stores: money is conserved per currency, no balance is ever
 * negative, gross = tax + net on every entry, stored balances equal the replay, and replaying every
 * committed command changes nothing (a rejected one may succeed later: its id was never used).
 */
class LedgerProperties {
    private static final EntryContext CTX = EntryContext.actor("property");
    private static final int ACCOUNTS = 4;

    /** One random operation; account indexes are taken modulo the number of accounts. */
    record Op(int kind, int from, int to, long minor, int type) {}

    @Property(tries = 24)
    void invariantsHoldAfterAnySequence(
            @ForAll StoreKind kind, @ForAll @Size(min = 1, max = 60) List<@From("ops") Op> ops) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            List<UUID> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(ledger.createAccount("u" + i, "u" + i + "@example.com", i == 0 ? Role.SYSTEM : Role.USER)
                        .id());
            }
            Currency eur = ledger.currency("EUR");
            List<Command> commands = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                commands.add(toCommand(ops.get(i), "op-" + i, accounts, eur, commands));
            }
            List<Outcome> outcomes = ledger.submitAll(commands).join();
            Invariants.assertHold(ledger);
            outcomes.stream()
                    .filter(o -> o instanceof Outcome.Written)
                    .map(o -> ((Outcome.Written) o).entry())
                    .forEach(e -> assertThat(e.amountGross()).isEqualTo(e.taxWithheld() + e.amountNet()));

            String before = StoreSql.dump(LedgerInternals.store(ledger));
            List<Command> committed = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                if (commands.get(i) instanceof Command.Movement
                        && outcomes.get(i).ok()) {
                    committed.add(commands.get(i));
                }
            }
            List<Outcome> replays = ledger.submitAll(committed).join();
            assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
            assertThat(replays).allMatch(o -> o instanceof Outcome.Replayed);
        }
    }

    private static Command toCommand(Op op, String id, List<UUID> accounts, Currency eur, List<Command> earlier) {
        UUID from = accounts.get(op.from() % ACCOUNTS);
        UUID to = accounts.get(op.to() % ACCOUNTS);
        Money amount = Money.ofMinor(eur, op.minor());
        return switch (op.kind()) {
            case 0, 1 -> new Command.Mint(id, to, Money.ofMinor(eur, op.minor() * 10), CTX);
            case 2 -> new Command.Burn(id, from, amount, CTX);
            case 3 -> new Command.Reverse(id, "op-" + Math.max(0, earlier.size() - 1 - op.to() % 5), CTX);
            case 4 ->
                new Command.SetAccountFrozen(from, op.minor() % 2 == 0, Optional.of("suspicious"), Optional.empty());
            default -> new Command.Payment(id, EntryType.values()[op.type() % 3], from, to, amount, CTX);
        };
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.longs().between(1, 5_000),
                        Arbitraries.integers().between(0, 2))
                .as(Op::new);
    }
}
