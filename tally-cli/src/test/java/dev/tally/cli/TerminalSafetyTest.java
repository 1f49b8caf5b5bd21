package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.core.text.SafeText;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import org.junit.jupiter.api.Test;

/**
 * What the CLI prints never carries a control or formatting character to the terminal raw, even when an
 * older ledger (or someone writing to its database) stored one; and the CLI refuses to store new ones.
 */
class TerminalSafetyTest {
    private static final String EVIL_EMAIL = "a\u001b[2J\u001b]0;pwned\u0007\u202e@example.com";
    private static final String EVIL_REASON = "chargeback \u009b31m\u2066ring";

    @Test
    void accountShowListAndHistoryEscapeWhatAnOldLedgerStored() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "10", "--currency", "EUR");
        Cli.json(db, "account", "freeze", "alice", "--reason", "placeholder");
        try (LedgerStore store = Stores.open(db)) {
            assertThat(StoreSql.execute(
                            store,
                            "UPDATE accounts SET email = ?, frozen_reason = ? WHERE username = 'alice'",
                            EVIL_EMAIL,
                            EVIL_REASON))
                    .isEqualTo(1);
        }
        for (String[] command :
                new String[][] {{"account", "show", "alice"}, {"account", "list"}, {"history", "alice"}}) {
            Cli.Run text = Cli.on(db, command);
            assertThat(text.exitCode())
                    .as(String.join(" ", command) + ": " + text.err())
                    .isZero();
            assertPrintable(text.out());
            Cli.Run json = Cli.on(db, append(command, "--json"));
            assertThat(json.exitCode()).isZero();
            assertPrintable(json.out());
        }
        String shown = Cli.on(db, "account", "show", "alice").out();
        assertThat(shown)
                .contains("a\\u{1B}[2J\\u{1B}]0;pwned\\u{7}\\u{202E}@example.com")
                .contains("\\u{9B}31m\\u{2066}ring");
        JsonNode json = Cli.json(db, "account", "show", "alice");
        assertThat(json.get("email").asText())
                .as("the JSON still holds the stored value")
                .isEqualTo(EVIL_EMAIL);
    }

    @Test
    void theCliRefusesControlCharactersInANewEmailAndWritesNothing() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        String before = Cli.dump(db);
        Cli.Run r = Cli.on(db, "account", "create", "--username", "eve", "--email", EVIL_EMAIL);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("email must not contain control or formatting characters");
        assertPrintable(r.err());
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    private static void assertPrintable(String printed) {
        assertThat(printed.codePoints().allMatch(cp -> cp == '\n' || cp == '\r' || SafeText.isSafe(cp)))
                .as("printed raw: %s", printed.replace("\u001b", "<ESC>"))
                .isTrue();
    }

    private static String[] append(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
