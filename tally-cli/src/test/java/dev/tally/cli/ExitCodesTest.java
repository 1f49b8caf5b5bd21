package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exit 1 means "no": the ledger refused a well-formed command, or a check found the ledger not valid. A
 * mistake in the command itself (an option out of range, a value that does not parse, a malformed file)
 * is exit 2 in every command, so that monitoring never reads a typo as tampering.
 */
class ExitCodesTest {
    @TempDir
    static Path dir;

    private static String db;
    private static Path badKey;

    @BeforeAll
    static void ledger() throws Exception {
        db = TestStores.freshSqliteFile().toString();
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(db))) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("seed", alice.id(), ledger.money("10.00", "EUR"), EntryContext.actor("test"));
        }
        badKey = Files.writeString(dir.resolve("bad.pub"), "this is not a key\n");
    }

    static Stream<List<String>> usageAndInputErrors() {
        return Stream.of(
                List.of("verify", "--threads=0"),
                List.of("verify", "--threads=65"),
                List.of("verify", "--threads=abc"),
                List.of("verify", "--history", "--limit", "0"),
                List.of("verify", "--no-such-option"),
                List.of("verify", "--checkpoints", "w.txt"),
                List.of("verify", "--public-key", "BAD_KEY"),
                List.of("transfer", "--from", "alice", "--to", "bob", "--amount", "abc", "--currency", "EUR"),
                List.of("transfer", "--from", "alice", "--to", "bob", "--amount", "1.001", "--currency", "EUR"),
                List.of("transfer", "--from", "alice", "--to", "bob", "--currency", "EUR"),
                List.of("history", "alice", "--limit", "0"),
                List.of("history", "alice", "--limit", "many"),
                List.of("account", "list", "--limit", "1001"),
                List.of("account", "create", "--username", "u".repeat(65), "--email", "long@example.com"),
                List.of("ledger", "freeze", "--reason", " "),
                List.of("proof", "consistency", "--from", "x"),
                List.of("apikey", "create", "--role", "god"),
                List.of("demo", "--transfers", "0"),
                List.of("teleport"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageAndInputErrors")
    void aMistakeInTheCommandIsExit2WithOneLineAndWritesNothing(List<String> command) {
        String before = Cli.dump(db);
        String[] args = command.stream()
                .map(a -> a.equals("BAD_KEY") ? badKey.toString() : a)
                .toArray(String[]::new);

        Cli.on(db, args).failed(ExitCodes.USAGE, "tally: ");

        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void aMalformedPublicKeyIsExit2NotTampering() {
        Cli.on(db, "verify", "--public-key", badKey.toString())
                .failed(
                        ExitCodes.USAGE,
                        "tally: VALIDATION_FAILED: " + badKey + " does not hold a checkpoint public key");
    }

    @Test
    void aThreadCountOutOfRangeNamesTheOption() {
        Cli.on(db, "verify", "--threads=0").failed(ExitCodes.USAGE, "tally: --threads must be 1-64, not 0");
    }

    @Test
    void theOfflineAuditRefusesABadOptionWithExit2() throws Exception {
        Path export = dir.resolve("ledger.jsonl");
        assertThat(Cli.on(db, "export", "--out", export.toString()).exitCode()).isZero();

        Cli.run("audit", export.toString(), "--threads", "0").failed(ExitCodes.USAGE, "tally: --threads must be 1-64");
        Cli.run("audit", export.toString(), "--public-key", badKey.toString()).failed(ExitCodes.USAGE, "tally: ");
    }

    @Test
    void whatTheLedgerRefusesIsStillExit1() {
        Cli.on(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "99.00", "--currency", "EUR")
                .failed(ExitCodes.REJECTED, "tally: INSUFFICIENT_FUNDS: ");
        Cli.on(db, "account", "show", "nobody").failed(ExitCodes.REJECTED, "tally: UNKNOWN_ACCOUNT: ");
    }

    @Test
    void aValidLedgerVerifiesWithExit0() {
        assertThat(Cli.on(db, "verify").exitCode()).isZero();
    }
}
