package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.server.auth.AdminLog;
import dev.tally.server.auth.ApiKeys;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.api.Test;

/** {@code tally apikey} and the failure paths of {@code tally serve}, run in-process. */
class ServerCommandsTest {

    @Test
    void apikeyCreatePrintsTheKeyOnceStoresOnlyItsHashAndRevokeStopsIt() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        Cli.Run created = Cli.on(db, "apikey", "create", "--role", "service", "--name", "game-1");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String secret = created.out()
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith("tally_"))
                .findFirst()
                .orElseThrow();
        assertThat(Cli.dump(db)).doesNotContain(secret).contains(ApiKeys.hash(secret));
        try (LedgerStore store = Stores.open(db)) {
            assertThat(ApiKeys.of(store).authenticate(secret))
                    .hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("game-1"));
            assertThat(AdminLog.of(store).recent(10)).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo("APIKEY_CREATE");
                assertThat(a.keyName()).startsWith("cli:");
            });
        }
        JsonNode list = Cli.json(db, "apikey", "list");
        assertThat(list.get("api_keys")).hasSize(1);
        assertThat(list.get("api_keys").get(0).get("role").asText()).isEqualTo("service");
        assertThat(list.toString()).doesNotContain(secret);

        Cli.on(db, "apikey", "create", "--role", "auditor", "--name", "game-1")
                .failed(ExitCodes.REJECTED, "tally: DUPLICATE_KEY_NAME: ");
        Cli.on(db, "apikey", "create", "--role", "root").failed(ExitCodes.USAGE, "tally: ");

        assertThat(Cli.on(db, "apikey", "revoke", "game-1").exitCode()).isZero();
        try (LedgerStore store = Stores.open(db)) {
            assertThat(ApiKeys.of(store).authenticate(secret)).isEmpty();
        }
        Cli.on(db, "apikey", "revoke", "game-1").failed(ExitCodes.REJECTED, "tally: NOT_FOUND");
        assertThat(Cli.json(db, "apikey", "list").get("api_keys")).isEmpty();
        assertThat(Cli.json(db, "apikey", "list", "--all").get("api_keys")).hasSize(1);
    }

    @Test
    void revokingTheLastAdminKeyIsRefusedAndChangesNothing() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        assertThat(Cli.on(db, "apikey", "create", "--role", "admin", "--name", "ops")
                        .exitCode())
                .isZero();
        String before = Cli.dump(db);

        Cli.on(db, "apikey", "revoke", "ops").failed(ExitCodes.REJECTED, "tally: LAST_ADMIN_KEY: ");

        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void theLastAdminKeyCanBeRevokedOnPurposeForRecovery() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        assertThat(Cli.on(db, "apikey", "create", "--role", "admin", "--name", "ops")
                        .exitCode())
                .isZero();

        assertThat(Cli.on(db, "apikey", "revoke", "ops", "--allow-last-admin").exitCode())
                .isZero();

        assertThat(Cli.json(db, "apikey", "list").get("api_keys")).isEmpty();
    }

    @Test
    void serveWithABadConfigurationFailsWithOneLine() {
        Cli.run("serve", "--config", "/nonexistent/tally.yaml").failed(ExitCodes.USAGE, "tally: cannot serve:");
    }
}
