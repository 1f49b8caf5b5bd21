package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HistoryCommandTest {
    /** alice: one mint, then three payments to bob and two from bob; seven entries in all. */
    private static String busyAlice(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "100", "--currency", "EUR", "--transaction-id", "m1");
        Cli.json(db, "mint", "--to", "bob", "--amount", "100", "--currency", "EUR", "--transaction-id", "m2");
        for (int i = 1; i <= 3; i++) {
            Cli.json(
                    db,
                    "transfer",
                    "--from",
                    "alice",
                    "--to",
                    "bob",
                    "--amount",
                    String.valueOf(i),
                    "--currency",
                    "EUR",
                    "--transaction-id",
                    "a" + i);
        }
        for (int i = 1; i <= 2; i++) {
            Cli.json(
                    db,
                    "transfer",
                    "--from",
                    "bob",
                    "--to",
                    "alice",
                    "--amount",
                    String.valueOf(i),
                    "--currency",
                    "EUR",
                    "--transaction-id",
                    "b" + i);
        }
        return db;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("entries").forEach(e -> ids.add(e.get("transaction_id").asText()));
        return ids;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pagesFollowTheCursorNewestFirstWithoutGapsOrRepeats(StoreKind kind) {
        String db = busyAlice(kind);
        List<String> seen = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();

        JsonNode page = Cli.json(db, "history", "alice", "--limit", "2");
        int pages = 1;
        while (true) {
            seen.addAll(ids(page));
            page.get("entries").forEach(e -> seqs.add(e.get("seq").asLong()));
            if (page.get("next_cursor").isNull()) {
                break;
            }
            page = Cli.json(
                    db,
                    "history",
                    "alice",
                    "--limit",
                    "2",
                    "--cursor",
                    page.get("next_cursor").asText());
            pages++;
        }

        assertThat(seen).containsExactly("b2", "b1", "a3", "a2", "a1", "m1");
        assertThat(seqs).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(pages).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void directionKeepsOnlySentOrReceivedEntries(StoreKind kind) {
        String db = busyAlice(kind);

        assertThat(ids(Cli.json(db, "history", "alice", "--direction", "sent"))).containsExactly("a3", "a2", "a1");
        assertThat(ids(Cli.json(db, "history", "alice", "--direction", "received")))
                .containsExactly("b2", "b1", "m1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void textHistoryShowsSignedAmountsAndTheNextCursor(StoreKind kind) {
        String db = busyAlice(kind);
        String cursor = Cli.json(db, "history", "alice", "--limit", "2")
                .get("next_cursor")
                .asText();

        Cli.Run run = Cli.on(db, "history", "alice", "--limit", "2");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("SEQ").contains("COUNTERPARTY");
        assertThat(lines.get(1)).contains("TRANSFER", "bob", "+1.98", "b2");
        assertThat(lines.get(3)).isEqualTo("next page: --cursor " + cursor);
    }
}
