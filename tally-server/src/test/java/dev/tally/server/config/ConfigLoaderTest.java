package dev.tally.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.money.Currency;
import dev.tally.ledger.ReplicaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, then the YAML file, then the environment; every mistake named by its setting. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void withNothingGivenTheDefaultsHold() {
        ServerConfig c = ConfigLoader.load(Optional.empty(), Map.of());
        assertThat(c).isEqualTo(ServerConfig.defaults());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.audit().schedule()).isEqualTo("0 3 * * *");
        assertThat(c.audit().onFailure()).isEqualTo(AuditConfig.FailurePolicy.FREEZE);
        assertThat(c.audit().slowVerification()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.audit().slowVerificationEntries()).isEqualTo(100_000);
    }

    @Test
    void theFileSetsEverythingAndTheEnvironmentOverridesIt() throws IOException {
        Path file = write("""
                db: /data/file.db
                port: 9000
                trusted_proxies: [10.0.0.0/8, "::1"]
                public_metrics: true
                shutdown_timeout: 45s
                currencies:
                  - {code: GOLD, scale: 0}
                  - {code: GEM, scale: 3}
                limits: {max_body_bytes: 65536, max_batch: 50, max_page_size: 200, default_page_size: 25}
                audit:
                  schedule: "30 2 * * *"
                  full_schedule: "0 5 * * 6"
                  zone: Europe/Berlin
                  on_failure: alert
                  verify_before_mint: false
                  slow_verification: 10s
                  conflict_rate_threshold: 0.1
                  webhooks:
                    - {url: "https://hooks.slack.com/services/T/B/secret", format: slack}
                    - url: https://alerts.example.com/tally
                """);
        ServerConfig c = ConfigLoader.load(
                Optional.of(file),
                Map.of(
                        "TALLY_DB_URL",
                        "postgresql://u:p@db/tally",
                        "TALLY_PORT",
                        "9100",
                        "TALLY_ADMIN_KEY",
                        "an-admin-key-of-some-length",
                        "TALLY_AUDIT_ON_FAILURE",
                        "freeze"));
        assertThat(c.db()).isEqualTo("postgresql://u:p@db/tally");
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.adminKey()).contains("an-admin-key-of-some-length");
        assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
        assertThat(c.publicMetrics()).isTrue();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.currencies()).containsExactly(new Currency("GOLD", 0), new Currency("GEM", 3));
        assertThat(c.limits()).isEqualTo(new Limits(65536, 50, 200, 25));
        assertThat(c.audit().schedule()).isEqualTo("30 2 * * *");
        assertThat(c.audit().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(c.audit().onFailure()).isEqualTo(AuditConfig.FailurePolicy.FREEZE);
        assertThat(c.audit().verifyBeforeMint()).isFalse();
        assertThat(c.audit().webhooks()).hasSize(2);
        assertThat(c.audit().webhooks().get(0).format()).isEqualTo(Webhook.Format.SLACK);
        assertThat(c.audit().webhooks().get(1).format()).isEqualTo(Webhook.Format.GENERIC);
        // Secrets never print.
        assertThat(c.toString())
                .doesNotContain("an-admin-key")
                .doesNotContain(":p@")
                .doesNotContain("secret");
    }

    @Test
    void theMailChannelTakesItsPasswordFromTheVariableItNamesAndNeverPrintsIt() throws IOException {
        Path file = write("""
                audit:
                  mail:
                    host: smtp.example.com
                    security: tls
                    user: tally-alerts
                    password_env: ALERT_MAIL_PASSWORD
                    from: tally@example.com
                    to: [oncall@example.com]
                    console_url: https://tally.example.com/console
                """);
        MailAlerts mail = ConfigLoader.load(Optional.of(file), Map.of("ALERT_MAIL_PASSWORD", "hunter2"))
                .audit()
                .mail()
                .orElseThrow();
        assertThat(mail.port()).isEqualTo(465);
        assertThat(mail.security()).isEqualTo(MailAlerts.Security.TLS);
        assertThat(mail.password()).contains("hunter2");
        assertThat(mail.to()).containsExactly("oncall@example.com");
        assertThat(mail.toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("password_env");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).audit().mail()).isEmpty();
    }

    @Test
    void webhooksAndProxiesCanComeFromTheEnvironmentAsLists() {
        ServerConfig c = ConfigLoader.load(
                Optional.empty(),
                Map.of(
                        "TALLY_WEBHOOKS",
                        "https://a.example/x, discord:https://discord.com/api/webhooks/1/t",
                        "TALLY_TRUSTED_PROXIES",
                        "192.168.0.1,10.1.0.0/16"));
        assertThat(c.audit().webhooks())
                .extracting(Webhook::format)
                .containsExactly(Webhook.Format.GENERIC, Webhook.Format.DISCORD);
        assertThat(c.trustedProxies()).containsExactly("192.168.0.1", "10.1.0.0/16");
    }

    @Test
    void anAdminKeyThatIsSetButBlankStopsTheStartInsteadOfBeingIgnored() throws IOException {
        for (String blank : new String[] {"   ", "", "\t \n"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_ADMIN_KEY", blank)))
                    .as("TALLY_ADMIN_KEY=[%s]", blank)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TALLY_ADMIN_KEY")
                    .hasMessageContaining("empty or only whitespace");
        }
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("admin_key: '   '\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("empty or only whitespace");
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).adminKey())
                .as("unset: one is generated on first start")
                .isEmpty();
    }

    @Test
    void mistakesAreRefusedWithTheSettingNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("prot: 8080\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting prot");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("audit: {schedul: x}\n")), Map.of()))
                .hasMessageContaining("audit.schedul");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_AUDIT_SCHEDULE", "61 3 * * *")))
                .hasMessageContaining("audit.schedule");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_PORT", "eighty")))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_AUDIT_ZONE", "Mars/Olympus")))
                .hasMessageContaining("audit.zone");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_AUDIT_ON_FAILURE", "panic")))
                .hasMessageContaining("audit.on_failure");
        assertThatThrownBy(
                        () -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_TRUSTED_PROXIES", "proxy.example.com")))
                .hasMessageContaining("trusted_proxies");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_MAX_BATCH", "0")))
                .hasMessageContaining("limits.max_batch");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("TALLY_WEBHOOKS", "ftp://x.example/y")))
                .hasMessageContaining("http");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("currencies: [{code: gold}]\n")), Map.of()))
                .hasMessageContaining("currencies");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("port: [1\n")), Map.of()))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.yaml")), Map.of()))
                .hasMessageContaining("cannot read");
    }

    @Test
    void checkpointSigningIsOnWhenAKeyIsNamed() throws IOException {
        ServerConfig c = ConfigLoader.load(
                Optional.of(
                        write(
                                "checkpoints: {private_key: /keys/checkpoint.key, witness: /w/witness.log, every_entries: 500, every: 10m}\n")),
                Map.of());
        assertThat(c.checkpoints()).hasValueSatisfying(k -> {
            assertThat(k.privateKey()).isEqualTo(Path.of("/keys/checkpoint.key"));
            assertThat(k.witness()).contains(Path.of("/w/witness.log"));
            assertThat(k.everyEntries()).isEqualTo(500);
            assertThat(k.every()).isEqualTo(Duration.ofMinutes(10));
        });
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("TALLY_CHECKPOINT_KEY", "/k"))
                        .checkpoints())
                .isPresent();
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).checkpoints()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("checkpoints: {every: 1m}\n")), Map.of()))
                .hasMessageContaining("checkpoints.private_key");
        assertThatThrownBy(() ->
                        ConfigLoader.load(Optional.of(write("checkpoints: {private_key: /k, every: 1ms}\n")), Map.of()))
                .hasMessageContaining("checkpoints");
    }

    @Test
    void theFraudShieldIsOffUnlessItsSectionIsGiven() throws IOException {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).fraud()).isEqualTo(FraudPolicy.disabled());

        ServerConfig c = ConfigLoader.load(
                Optional.of(write("fraud: {max_payments: 600, window: 30s, max_single_minor: 5000000}\n")), Map.of());

        assertThat(c.fraud()).isEqualTo(new FraudPolicy(600, Duration.ofSeconds(30), 5_000_000));
    }

    @Test
    void aFraudLimitLeftOutDoesNotApply() throws IOException {
        FraudPolicy p = ConfigLoader.load(Optional.of(write("fraud: {max_single_minor: 100}\n")), Map.of())
                .fraud();

        assertThat(p.maxSingleMinor()).isEqualTo(100);
        assertThat(p.maxPaymentsPerWindow()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void badFraudLimitsAreRefusedWithTheSettingNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("fraud: {max_payments: 0}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("fraud: {max_payment: 5}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.max_payment");
    }

    @Test
    void aRuleMayHoldPaymentsForTheConfiguredHoldExpiry() throws IOException {
        FraudPolicy p = ConfigLoader.load(
                        Optional.of(write("fraud: {hold_expiry: 12h, rules: {pass_through: {action: hold}}}\n")),
                        Map.of())
                .fraud();

        assertThat(p.passThrough().action()).isEqualTo(dev.tally.core.fraud.FraudAction.HOLD);
        assertThat(p.holdExpiry()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void theHoldExpiryDefaultsTo72Hours() throws IOException {
        assertThat(ConfigLoader.load(Optional.of(write("fraud: {preset: recommended}\n")), Map.of())
                        .fraud()
                        .holdExpiry())
                .isEqualTo(Duration.ofDays(3));
    }

    @Test
    void aHoldExpiryBeyond30DaysIsRefusedWithTheSettingNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("fraud: {hold_expiry: 31d}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.hold_expiry");
    }

    @Test
    void fraudRulesAreConfiguredByNameOverTheirRecommendedThresholds() throws IOException {
        FraudPolicy p = ConfigLoader.load(Optional.of(write("""
                                fraud:
                                  max_payments: 100
                                  rules:
                                    pass_through: {percent: 90, action: reject}
                                    velocity_volume: {max_minor: {GOLD: 5000}, window: 30m}
                                    shared_origin: {enabled: false}
                                """)), Map.of()).fraud();

        assertThat(p.maxPaymentsPerWindow())
                .as("the original keys keep working")
                .isEqualTo(100);
        assertThat(p.passThrough().enabled()).isTrue();
        assertThat(p.passThrough().percent()).isEqualTo(90);
        assertThat(p.passThrough().action()).isEqualTo(dev.tally.core.fraud.FraudAction.REJECT);
        assertThat(p.passThrough().window())
                .isEqualTo(FraudPolicy.recommended().passThrough().window());
        assertThat(p.velocityVolume().maxMinor()).containsEntry("GOLD", 5000L);
        assertThat(p.velocityVolume().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.sharedOrigin().enabled()).isFalse();
        assertThat(p.fanIn().enabled()).as("a rule not named stays off").isFalse();
    }

    @Test
    void theRecommendedPresetTurnsEveryRuleOn() throws IOException {
        assertThat(ConfigLoader.load(Optional.of(write("fraud: {preset: recommended}\n")), Map.of())
                        .fraud())
                .isEqualTo(FraudPolicy.recommended());
    }

    @Test
    void badFraudRulesAreRefusedWithTheSettingNamed() throws IOException {
        assertThatThrownBy(
                        () -> ConfigLoader.load(Optional.of(write("fraud: {rules: {mule: {percent: 5}}}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.rules.mule");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Optional.of(write("fraud: {rules: {pass_through: {percnt: 5}}}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.rules.pass_through.percnt");
        assertThatThrownBy(() -> ConfigLoader.load(
                        Optional.of(write("fraud: {rules: {pass_through: {percent: 150}}}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.rules.pass_through.percent");
        assertThatThrownBy(() ->
                        ConfigLoader.load(Optional.of(write("fraud: {rules: {fan_in: {action: ban}}}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.rules.fan_in.action");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(write("fraud: {preset: strict}\n")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fraud.preset");
    }

    @Test
    void durationsTakeShortAndIsoForms() {
        assertThat(ConfigLoader.parseDuration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.parseDuration("x", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigLoader.parseDuration("x", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.parseDuration("x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ConfigLoader.parseDuration("x", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> ConfigLoader.parseDuration("x", "soon")).hasMessageContaining("x must be a duration");
    }

    @Test
    void trustedProxiesBelieveOnlyTheirOwnHops() {
        TrustedProxies p = TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8::/32"));
        assertThat(p.trusts("10.1.2.3")).isTrue();
        assertThat(p.trusts("11.1.2.3")).isFalse();
        assertThat(p.trusts("2001:db8::1")).isTrue();
        assertThat(p.trusts("example.com")).isFalse();
        assertThat(p.trusts("300.1.1.1")).isFalse();
        // Not from a proxy: the header is whatever the client says, so it is ignored.
        assertThat(p.clientAddress("198.51.100.7", Optional.of("1.2.3.4"))).isEqualTo("198.51.100.7");
        // From a proxy: the right-most hop that is not a trusted proxy; a spoofed left part is ignored.
        assertThat(p.clientAddress("10.0.0.5", Optional.of("6.6.6.6, 203.0.113.9, 10.0.0.7")))
                .isEqualTo("203.0.113.9");
        assertThat(p.clientAddress("10.0.0.5", Optional.of("garbage"))).isEqualTo("10.0.0.5");
        assertThat(p.clientAddress("10.0.0.5", Optional.empty())).isEqualTo("10.0.0.5");
    }

    @Test
    void aReadReplicaTakesItsLagBoundAndFallbackFromTheFileAndItsUrlFromTheEnvironment() throws IOException {
        Path file = write("""
                db: jdbc:postgresql://primary/tally
                read_replica: jdbc:postgresql://standby/tally
                replica_max_lag: 50
                replica_max_lag_bytes: 1048576
                replica_fallback: fail
                """);

        ServerConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of());
        ServerConfig fromEnv =
                ConfigLoader.load(Optional.empty(), Map.of("TALLY_READ_DB_URL", "jdbc:postgresql://other/tally"));

        assertThat(fromFile.readReplica())
                .contains(new ReplicaConfig(
                        "jdbc:postgresql://standby/tally", 50, 1_048_576, ReplicaConfig.Fallback.FAIL));
        assertThat(fromEnv.readReplica()).contains(ReplicaConfig.of("jdbc:postgresql://other/tally"));
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).readReplica()).isEmpty();
    }

    @Test
    void aReplicaSettingWithoutAReplicaOrAnUnknownFallbackIsRefused() throws IOException {
        Path orphan = write("replica_fallback: fail\n");
        Path unknown = write("read_replica: jdbc:postgresql://standby/tally\nreplica_fallback: sometimes\n");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(orphan), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("need read_replica");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(unknown), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("replica_fallback must be 'primary' or 'fail'");
    }

    private Path write(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "tally", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
