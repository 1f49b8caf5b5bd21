package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.api.Test;

/** {@code tally transfer --pending --timeout}, {@code tally post}, {@code tally void} and {@code --metadata}. */
class PendingCommandsTest {
    private static String aliceAndBob() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "100.00", "--currency", "EUR");
        return db;
    }

    private static String hold(String db, String id) {
        JsonNode e = Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "30.00",
                "--currency",
                "EUR",
                "--type",
                "PURCHASE",
                "--pending",
                "--timeout",
                "10m",
                "--transaction-id",
                id,
                "--metadata",
                "order_id=A-1");
        assertThat(e.get("type").asText()).isEqualTo("PENDING");
        assertThat(e.get("metadata").get("order_id").asText()).isEqualTo("A-1");
        return id;
    }

    @Test
    void aPendingPurchaseIsPostedInPart() {
        String db = aliceAndBob();
        hold(db, "hold-1");
        JsonNode post = Cli.json(db, "post", "hold-1", "--amount", "20.00");
        assertThat(post.get("type").asText()).isEqualTo("POST_PENDING");
        assertThat(post.get("tax_withheld").asText()).isEqualTo("4.00");
        assertThat(Cli.json(db, "account", "show", "alice")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("80.00");
    }

    @Test
    void aVoidReleasesItAndASecondVoidIsRefusedWithExit1AndWritesNothing() {
        String db = aliceAndBob();
        hold(db, "hold-1");
        assertThat(Cli.json(db, "void", "hold-1").get("type").asText()).isEqualTo("VOID_PENDING");
        String before = Cli.dump(db);
        Cli.Run again = Cli.on(db, "void", "hold-1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("PENDING_ALREADY_VOIDED");
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void pendingWithoutATimeoutIsAUsageErrorAndWritesNothing() {
        String db = aliceAndBob();
        String before = Cli.dump(db);
        Cli.Run run = Cli.on(
                db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1.00", "--currency", "EUR", "--pending");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void historyFiltersByMetadata() {
        String db = aliceAndBob();
        hold(db, "hold-1");
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1.00", "--currency", "EUR");
        JsonNode page = Cli.json(db, "history", "alice", "--metadata", "order_id=A-1");
        assertThat(page.toString()).contains("hold-1");
        assertThat(page.toString()).doesNotContain("\"TRANSFER\"");
    }

    @Test
    void pendingExpireVoidsWhatTimedOutOnceAndASecondRunVoidsNothing() throws InterruptedException {
        String db = aliceAndBob();
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "30.00",
                "--currency",
                "EUR",
                "--pending",
                "--timeout",
                "1s",
                "--transaction-id",
                "short");
        hold(db, "long");
        Thread.sleep(1_100); // the shortest timeout a pending transfer may have is one second
        JsonNode swept = Cli.json(db, "pending", "expire");
        assertThat(swept.get("voided").asInt()).isEqualTo(1);
        assertThat(swept.get("entries").get(0).get("type").asText()).isEqualTo("VOID_PENDING");
        assertThat(swept.get("entries").get(0).get("reverses_transaction_id").asText())
                .isEqualTo("short");
        assertThat(Cli.json(db, "account", "show", "alice")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("70.00");
        String before = Cli.dump(db);
        assertThat(Cli.json(db, "pending", "expire").get("voided").asInt()).isZero();
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void accountShowAsOfGivesTheBalancesJustAfterAnEntry() {
        String db = aliceAndBob();
        hold(db, "hold-1");
        Cli.json(db, "void", "hold-1");
        JsonNode then = Cli.json(db, "account", "show", "alice", "--as-of", "2");
        assertThat(then.get("as_of_seq").asLong()).isEqualTo(2);
        assertThat(then.get("available").get("EUR").asText()).isEqualTo("70.00");
        assertThat(then.get("pending_out").get("EUR").asText()).isEqualTo("30.00");
        assertThat(Cli.json(db, "account", "show", "alice", "--as-of", "3")
                        .get("available")
                        .get("EUR")
                        .asText())
                .isEqualTo("100.00");
    }

    @Test
    void accountShowAsOfRefusesAMalformedPointWithExit2AndOneNotReachedWithItsCode() {
        String db = aliceAndBob();
        Cli.Run malformed = Cli.on(db, "account", "show", "alice", "--as-of", "last-week");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--as-of");
        Cli.Run ahead = Cli.on(db, "account", "show", "alice", "--as-of", "99");
        assertThat(ahead.exitCode()).isNotZero();
        assertThat(ahead.err()).contains("VALIDATION_FAILED");
    }
}
