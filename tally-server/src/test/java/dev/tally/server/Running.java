package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.testing.TestStores;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.config.ServerConfig;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real {@code tally serve} on a random loopback port over a fresh store, with one key per role and a
 * client. Tests talk HTTP to it and look at the database only through {@link #dump()} and the ledger.
 */
final class Running implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";
    final TallyServer server;
    final Client http;
    final String admin = ADMIN_KEY;
    final String service;
    final String auditor;

    private Running(TallyServer server) {
        this.server = server;
        this.http = new Client(server.port());
        ApiKeys keys = keys();
        this.service = keys.issue(
                        "game-backend", ApiRole.SERVICE, server.ledger().clock().instant())
                .secret();
        this.auditor = keys.issue(
                        "auditor", ApiRole.AUDITOR, server.ledger().clock().instant())
                .secret();
    }

    static Running start(StoreKind kind) {
        return start(kind, c -> c, Clock.systemUTC());
    }

    static Running start(StoreKind kind, UnaryOperator<ServerConfig> tune) {
        return start(kind, tune, Clock.systemUTC());
    }

    static Running start(StoreKind kind, UnaryOperator<ServerConfig> tune, Clock clock) {
        return start(TestStores.freshLocation(kind), tune, clock);
    }

    /** On an existing store location (to restart a server over the same data). */
    static Running start(String location, UnaryOperator<ServerConfig> tune, Clock clock) {
        ServerConfig config = tune.apply(ServerConfig.defaults()
                .withDb(location)
                .withHost("127.0.0.1")
                .withPort(0)
                .withAdminKey(Optional.of(ADMIN_KEY))
                .withAudit(ServerConfig.defaults().audit().withEnabled(false)));
        return new Running(TallyServer.start(config, clock));
    }

    ApiKeys keys() {
        return ApiKeys.of(store());
    }

    LedgerStore store() {
        return server.store();
    }

    /** Every row of every table, to prove a refused request wrote nothing. */
    String dump() {
        return StoreSql.dump(store());
    }

    /**
     * The dump without one table's section: for refusals that legitimately leave an audit record behind
     * (a mint refused because its verification failed records that verification run).
     */
    String dumpWithout(String table) {
        return dump().replaceAll("(?s)## " + table + "\n.*?(?=## |$)", "");
    }

    /** Opens an account over HTTP and returns its id. */
    String account(String username) {
        Response r = http.post(
                "/v1/accounts",
                admin,
                "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.com\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Mints money into an account over HTTP. */
    void mint(String account, String amount) {
        Response r = http.post(
                "/v1/mint",
                admin,
                "{\"transaction_id\":\"mint-" + java.util.UUID.randomUUID() + "\",\"receiver_id\":\"" + account
                        + "\",\"currency\":\"EUR\",\"amount\":\"" + amount + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Override
    public void close() {
        server.stop();
    }
}
