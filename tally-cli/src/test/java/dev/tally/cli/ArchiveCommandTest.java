package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code tally archive} and {@code tally verify --archives} from the command line, on a PostgreSQL ledger written in
 * past months (its clock then was in 2025), so that the real clock finds them closed.
 */
class ArchiveCommandTest {
    private final Path dir;
    private final Path key;
    private final Path pub;
    private final Path witness;

    ArchiveCommandTest() throws IOException {
        dir = Files.createTempDirectory("tally-archive-cli-");
        SignerKeys.Written keys = SignerKeys.generate(dir.resolve("keys"), "tally.example/cli");
        key = keys.privateKey();
        pub = keys.publicKey();
        witness = dir.resolve("witness.txt");
    }

    @Test
    void archiveMovesClosedMonthsOutAndVerifyChecksTheLiveLedgerAndTheArchives() {
        String db = pastLedger();
        assertThat(Cli.on(db, "checkpoint", "--key", key.toString(), "--witness", witness.toString())
                        .exitCode())
                .isZero();

        JsonNode archived = Cli.json(
                db,
                "archive",
                "--before",
                "2025-03",
                "--out",
                dir.resolve("archives").toString(),
                "--key",
                key.toString(),
                "--witness",
                witness.toString());

        assertThat(archived.path("archived")).hasSize(2);
        assertThat(archived.path("archived").get(1).path("month").asText()).isEqualTo("2025-02");
        assertThat(archived.path("archived_through_seq").asLong()).isEqualTo(6);
        Cli.Run verify = Cli.on(
                db,
                "verify",
                "--public-key",
                pub.toString(),
                "--checkpoints",
                witness.toString(),
                "--archives",
                dir.resolve("archives").toString());
        assertThat(verify.exitCode())
                .as("stderr: %s; stdout: %s", verify.err(), verify.out())
                .isZero();
        assertThat(verify.out())
                .contains("archive of 2025-01 (#1 to #3) ledger-2025-01.jsonl: valid")
                .contains("archive of 2025-02 (#4 to #6) ledger-2025-02.jsonl: valid");
        assertThat(Cli.on(db, "reconcile").exitCode()).isZero();
        Cli.Run audit = Cli.run(
                "audit", dir.resolve("archives/ledger-2025-02.jsonl").toString(), "--public-key", pub.toString());
        assertThat(audit.exitCode()).as("stderr: %s", audit.err()).isZero();
    }

    @Test
    void archiveOnSqliteFailsWithOneLineAndExitTwo() {
        String db = Cli.newLedger(StoreKind.SQLITE);

        Cli.on(
                        db,
                        "archive",
                        "--before",
                        "2025-03",
                        "--out",
                        dir.toString(),
                        "--key",
                        key.toString(),
                        "--witness",
                        witness.toString())
                .failed(2, "tally: failure: tally archive needs a PostgreSQL ledger");
    }

    /** Three entries a month in January, February and March 2025. */
    private static String pastLedger() {
        SettableClock clock = new SettableClock(Instant.parse("2025-01-10T10:00:00Z"));
        String db = TestStores.freshLocation(StoreKind.POSTGRES);
        try (Ledger ledger = Ledger.open(
                TestStores.config(StoreKind.POSTGRES).withLocation(db).withClock(clock))) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            for (int m = 1; m <= 3; m++) {
                clock.set(Instant.parse("2025-0" + m + "-10T10:00:00Z"));
                ledger.mint("mint-" + m, alice.id(), ledger.money("100.00", "EUR"), EntryContext.NONE);
                for (int i = 0; i < 2; i++) {
                    clock.advance(Duration.ofHours(1));
                    ledger.transfer(
                            "t-" + m + "-" + i, alice.id(), bob.id(), ledger.money("1.00", "EUR"), EntryContext.NONE);
                }
            }
        }
        return db;
    }
}
