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
}
