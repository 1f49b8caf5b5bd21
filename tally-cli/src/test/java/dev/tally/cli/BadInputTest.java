package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a command can be refused: exit 1 for what the ledger refuses because of its state (a typed
 * code), 2 for a command line that cannot work, a malformed value (VALIDATION_FAILED) included; always
 * exactly one line on stderr, nothing on stdout, and the database byte-for-byte as it was. The cases share one ledger per store, since none of them may change it.
 */
class BadInputTest {
    private static final Map<StoreKind, String> LEDGERS = new EnumMap<>(StoreKind.class);

    /** alice holds 100.00 EUR, bob nothing, carol 10.00 EUR and is frozen; "seed" is alice's mint. */
    private static synchronized String ledger(StoreKind kind) {
        return LEDGERS.computeIfAbsent(kind, k -> {
            String db = TestStores.freshLocation(k);
            try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(db))) {
                EntryContext ctx = EntryContext.actor("test");
                Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
                ledger.createAccount("bob", "bob@example.com", Role.USER);
                Account carol = ledger.createAccount("carol", "carol@example.com", Role.USER);
                ledger.mint("seed", alice.id(), ledger.money("100.00", "EUR"), ctx);
                ledger.mint("seed-carol", carol.id(), ledger.money("10.00", "EUR"), ctx);
                ledger.freezeAccount(carol.id(), "chargeback pattern");
            }
            return db;
        });
    }

    private static String[] transfer(String from, String to, String amount, String currency) {
        return new String[] {"transfer", "--from", from, "--to", to, "--amount", amount, "--currency", currency};
    }

    private static Arguments refused(String code, String... args) {
        return Arguments.of(ExitCodes.REJECTED, "tally: " + code + ": ", List.of(args));
    }

    private static Arguments invalid(String... args) {
        return Arguments.of(ExitCodes.USAGE, "tally: VALIDATION_FAILED: ", List.of(args));
    }

    private static Arguments usage(String... args) {
        return Arguments.of(ExitCodes.USAGE, "tally: ", List.of(args));
    }

    static Stream<Arguments> cases() {
        Stream<Arguments> badAmounts = Stream.of(
                        "1.001", "-5", "0", "0.00", "abc", "1e5", "99999999999999999999", "NaN", "", " 1", "1,00")
                .map(amount -> invalid(transfer("alice", "bob", amount, "EUR")));
        Stream<Arguments> others = Stream.of(
                refused("UNKNOWN_ACCOUNT", transfer("alice", "nobody", "1.00", "EUR")),
                refused("UNKNOWN_ACCOUNT", transfer("nobody", "bob", "1.00", "EUR")),
                refused("UNKNOWN_CURRENCY", transfer("alice", "bob", "1.00", "XYZ")),
                refused("SAME_ACCOUNT", transfer("alice", "alice", "1.00", "EUR")),
                refused("ACCOUNT_FROZEN", transfer("carol", "bob", "1.00", "EUR")),
                refused("INSUFFICIENT_FUNDS", transfer("alice", "bob", "100.01", "EUR")),
                refused("INSUFFICIENT_FUNDS", "burn", "--from", "bob", "--amount", "1", "--currency", "EUR"),
                invalid(
                        "transfer",
                        "--from",
                        "alice",
                        "--to",
                        "bob",
                        "--amount",
                        "1",
                        "--currency",
                        "EUR",
                        "--type",
                        "MINT"),
                invalid(
                        "mint",
                        "--to",
                        "alice",
                        "--amount",
                        "1",
                        "--currency",
                        "EUR",
                        "--transaction-id",
                        "x".repeat(129)),
                invalid("mint", "--to", "alice", "--amount", "1", "--currency", "EUR", "--transaction-id", "has space"),
                refused(
                        "DUPLICATE_TRANSACTION",
                        "mint",
                        "--to",
                        "alice",
                        "--amount",
                        "5",
                        "--currency",
                        "EUR",
                        "--transaction-id",
                        "seed"),
                refused("UNKNOWN_CURRENCY", "mint", "--to", "alice", "--amount", "5", "--currency", "GOLD"),
                refused("UNKNOWN_TRANSACTION", "reverse", "no-such-tx"),
                refused("UNKNOWN_TRANSACTION", "tx", "show", "no-such-tx"),
                refused("UNKNOWN_ACCOUNT", "account", "show", "nobody"),
                refused("UNKNOWN_ACCOUNT", "history", "nobody"),
                invalid("history", "alice", "--cursor", "yesterday"),
                invalid("history", "alice", "--limit", "0"),
                invalid("account", "list", "--limit", "1001"),
                invalid("account", "create", "--username", "u".repeat(65), "--email", "long@example.com"),
                invalid("account", "create", "--username", "", "--email", "empty@example.com"),
                invalid("account", "create", "--username", "dave", "--email", "not-an-email"),
                invalid("account", "create", "--username", "dave", "--email", "d".repeat(250) + "@example.com"),
                refused(
                        "DUPLICATE_USERNAME",
                        "account",
                        "create",
                        "--username",
                        "alice",
                        "--email",
                        "other@example.com"),
                refused("DUPLICATE_EMAIL", "account", "create", "--username", "dave", "--email", "ALICE@example.com"),
                refused(
                        "VERSION_CONFLICT",
                        "account",
                        "update-email",
                        "alice",
                        "--email",
                        "a2@example.com",
                        "--expected-version",
                        "7"),
                invalid("account", "freeze", "alice", "--reason", "r".repeat(501)),
                invalid("account", "freeze", "treasury", "--reason", "no"),
                usage("transfer", "--from", "alice", "--to", "bob", "--currency", "EUR"),
                usage(
                        "transfer",
                        "--from",
                        "alice",
                        "--to",
                        "bob",
                        "--amount",
                        "1",
                        "--currency",
                        "EUR",
                        "--colour",
                        "red"),
                usage(
                        "transfer",
                        "--from",
                        "alice",
                        "--to",
                        "bob",
                        "--amount",
                        "1",
                        "--currency",
                        "EUR",
                        "--type",
                        "GIFT"),
                usage("account", "create", "--username", "dave", "--email", "dave@example.com", "--role", "ROOT"),
                usage("account", "update-email", "alice", "--email", "a2@example.com", "--expected-version", "latest"),
                usage("account"),
                usage("teleport"));
        List<Arguments> all = Stream.concat(badAmounts, others).toList();
        return Stream.of(StoreKind.values())
                .flatMap(kind -> all.stream().map(a -> Arguments.of(kind, a.get()[0], a.get()[1], a.get()[2])));
    }

    @ParameterizedTest(name = "{0}: {3} -> exit {1}")
    @MethodSource("cases")
    void aRefusedCommandPrintsOneLineExitsNonZeroAndWritesNothing(
            StoreKind kind, int exitCode, String linePrefix, List<String> args) {
        String db = ledger(kind);
        String before = Cli.dump(db);

        Cli.on(db, args.toArray(String[]::new)).failed(exitCode, linePrefix);

        assertThat(Cli.dump(db)).isEqualTo(before);
    }
}
