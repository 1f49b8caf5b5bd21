package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.AuditConfig;
import dev.tally.store.audit.AnchorKeyFile;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The verification before a mint trusts no recorded run that a database writer could have forged: without
 * an anchor key it verifies in full; with one it starts from the newest run the key authenticates.
 */
class AnchoredMintGateTest {
    /** A run forged to claim that the chain up to t2 (tampered) verified, dated in the future so that it is the newest. */
    private static final String FORGED_RUN =
            "INSERT INTO verification_runs (id, kind, started_at, finished_at, from_seq, to_seq, last_hash,"
                    + " valid, findings_count, duration_ms) SELECT '00000000-0000-4000-8000-00000000f00d', 'VERIFY_FULL', 4102444800000000,"
                    + " 4102444800000000, 1, seq, current_hash, true, 0, 0 FROM ledger_entries WHERE transaction_id = 't2'";

    private static final String FORGED_RUN_PG = FORGED_RUN.replace(
            "'00000000-0000-4000-8000-00000000f00d'", "'00000000-0000-4000-8000-00000000f00d'::uuid");
    private static final String MINT =
            "{\"transaction_id\":\"m9\",\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"1.00\"}";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAnAnchorKeyAForgedRunDoesNotLetAMintPassOverATamperedEntry(StoreKind kind) throws Exception {
        try (Running s = Running.start(kind, UnaryOperator.identity())) {
            forgeAfterATampering(s, kind);

            Response mint = s.http.post("/v1/mint", s.admin, MINT);

            assertThat(mint.status()).as(mint.toString()).isEqualTo(503);
            assertThat(mint.code()).isEqualTo("INTEGRITY_UNVERIFIED");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withAnAnchorKeyAForgedRunDoesNotLetAMintPassOverATamperedEntry(StoreKind kind) throws Exception {
        Path key = AnchorKeyFile.generate(dir);
        try (Running s = Running.start(
                kind, c -> c.withAudit(AuditConfig.DEFAULTS.withEnabled(false).withAnchorKey(key)))) {
            forgeAfterATampering(s, kind);

            Response mint = s.http.post("/v1/mint", s.admin, MINT);

            assertThat(mint.status()).as(mint.toString()).isEqualTo(503);
            assertThat(mint.code()).isEqualTo("INTEGRITY_UNVERIFIED");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withAnAnchorKeyTheMintGateVerifiesOnlyWhatCameAfterTheLastAuthenticatedRun(StoreKind kind) throws Exception {
        Path key = AnchorKeyFile.generate(dir);
        try (Running s = Running.start(
                kind, c -> c.withAudit(AuditConfig.DEFAULTS.withEnabled(false).withAnchorKey(key)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/audit/verify", s.auditor, null)
                            .json()
                            .get("valid")
                            .asBoolean())
                    .isTrue();
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                            .status())
                    .isEqualTo(201);

            assertThat(s.http.post("/v1/mint", s.admin, MINT).status()).isEqualTo(201);

            JsonNode gate = s.http.get("/v1/audit/runs?limit=1", s.auditor)
                    .json()
                    .get("runs")
                    .get(0);
            assertThat(gate.get("kind").asText()).isEqualTo("VERIFY_INCREMENTAL");
            assertThat(gate.get("anchor_key_id").asText()).hasSize(8);
        }
    }

    /** A verified ledger, then t2 written, tampered with, and covered by a forged successful run. */
    private static void forgeAfterATampering(Running s, StoreKind kind) throws Exception {
        String alice = s.account("alice");
        String bob = s.account("bob");
        s.mint(alice, "100.00");
        assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                        .status())
                .isEqualTo(201);
        assertThat(s.http.post("/v1/audit/verify", s.auditor, null)
                        .json()
                        .get("valid")
                        .asBoolean())
                .isTrue();
        assertThat(s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "5.00"))
                        .status())
                .isEqualTo(201);
        assertThat(StoreSql.execute(
                        s.store(),
                        "UPDATE ledger_entries SET amount_net = amount_net + 100 WHERE transaction_id = ?",
                        "t2"))
                .isEqualTo(1);
        assertThat(StoreSql.execute(s.store(), kind == StoreKind.POSTGRES ? FORGED_RUN_PG : FORGED_RUN))
                .isEqualTo(1);
    }
}
