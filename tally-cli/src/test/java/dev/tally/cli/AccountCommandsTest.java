package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountCommandsTest {
    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> usernames(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("accounts").forEach(a -> names.add(a.get("username").asText()));
        return names;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createPrintsTheNewAccountWithTheContractFields(StoreKind kind) {
        String db = Cli.newLedger(kind);

        JsonNode alice = Cli.json(
                db, "account", "create", "--username", "alice", "--email", "alice@example.com", "--role", "admin");

        assertThat(fieldNames(alice))
                .containsExactly(
                        "id",
                        "username",
                        "email",
                        "role",
                        "is_frozen_for_fraud",
                        "frozen_reason",
                        "frozen_at",
                        "created_at",
                        "updated_at",
                        "version",
                        "balances");
        assertThat(alice.get("username").asText()).isEqualTo("alice");
        assertThat(alice.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(alice.get("role").asText()).isEqualTo("ADMIN");
        assertThat(alice.get("version").asLong()).isEqualTo(1);
        assertThat(alice.get("is_frozen_for_fraud").asBoolean()).isFalse();
        assertThat(alice.get("balances").isObject()).isTrue();
        assertThat(alice.get("balances").size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void showFindsAnAccountByUsernameOrIdWithItsBalances(StoreKind kind) {
        String db = Cli.newLedger(kind);
        String id = Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com")
                .get("id")
                .asText();
        Cli.json(db, "mint", "--to", "alice", "--amount", "100", "--currency", "EUR");

        JsonNode byName = Cli.json(db, "account", "show", "alice");
        JsonNode byId = Cli.json(db, "account", "show", id);

        assertThat(byName).isEqualTo(byId);
        assertThat(byName.get("id").asText()).isEqualTo(id);
        assertThat(byName.get("balances").get("EUR").asText()).isEqualTo("100.00");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void showPrintsReadableTextWithoutJson(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "7.5", "--currency", "EUR");

        Cli.Run run = Cli.on(db, "account", "show", "alice");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("alice  (USER)")
                .contains("alice@example.com")
                .contains("EUR 7.50")
                .contains("frozen      no");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void freezeRecordsTheReasonAndUnfreezeLiftsIt(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");

        JsonNode frozen = Cli.json(db, "account", "freeze", "alice", "--reason", "chargeback pattern");
        JsonNode unfrozen = Cli.json(db, "account", "unfreeze", "alice");

        assertThat(frozen.get("is_frozen_for_fraud").asBoolean()).isTrue();
        assertThat(frozen.get("frozen_reason").asText()).isEqualTo("chargeback pattern");
        assertThat(frozen.get("version").asLong()).isEqualTo(2);
        assertThat(unfrozen.get("is_frozen_for_fraud").asBoolean()).isFalse();
        assertThat(unfrozen.get("frozen_reason").isNull()).isTrue();
        assertThat(unfrozen.get("version").asLong()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listFiltersByFrozenAndRole(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com", "--role", "ADMIN");
        Cli.json(db, "account", "freeze", "alice", "--reason", "suspicious");

        assertThat(usernames(Cli.json(db, "account", "list"))).containsExactlyInAnyOrder("treasury", "alice", "bob");
        assertThat(usernames(Cli.json(db, "account", "list", "--frozen"))).containsExactly("alice");
        assertThat(usernames(Cli.json(db, "account", "list", "--role", "admin")))
                .containsExactly("bob");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listPagesThroughEveryAccountWithAfter(StoreKind kind) {
        String db = Cli.newLedger(kind);
        for (String name : List.of("alice", "bob", "carol", "dave")) {
            Cli.json(db, "account", "create", "--username", name, "--email", name + "@example.com");
        }
        List<String> seen = new ArrayList<>();
        List<String> ids = new ArrayList<>();

        JsonNode page = Cli.json(db, "account", "list", "--limit", "2");
        while (true) {
            assertThat(page.get("accounts").size()).isLessThanOrEqualTo(2);
            seen.addAll(usernames(page));
            page.get("accounts").forEach(a -> ids.add(a.get("id").asText()));
            if (page.get("next_after").isNull()) {
                break;
            }
            page = Cli.json(
                    db,
                    "account",
                    "list",
                    "--limit",
                    "2",
                    "--after",
                    page.get("next_after").asText());
        }

        assertThat(seen).containsExactlyInAnyOrder("treasury", "alice", "bob", "carol", "dave");
        assertThat(ids).isSorted();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void updateEmailAtTheCurrentVersionChangesItAndTheVersion(StoreKind kind) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");

        JsonNode updated = Cli.json(
                db, "account", "update-email", "alice", "--email", "alice@new.example.com", "--expected-version", "1");

        assertThat(updated.get("email").asText()).isEqualTo("alice@new.example.com");
        assertThat(updated.get("version").asLong()).isEqualTo(2);
    }
}
