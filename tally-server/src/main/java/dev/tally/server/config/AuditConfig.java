package dev.tally.server.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The seed's cron job, made configurable: when the scheduled audits run (UNIX cron syntax, parsed by
 * cron-utils, in {@code zone}), what happens when one fails ({@link FailurePolicy}), where alerts go, and
 * the two alert thresholds of the seed's post-deployment list (a verification of fewer than
 * {@code slowVerificationEntries} entries taking longer than {@code slowVerification}; an OCC conflict rate
 * above {@code conflictRateThreshold} over {@code conflictWindow}).
 *
 * @param schedule the daily run: incremental verification plus reconciliation (default {@code 0 3 * * *})
 * @param fullSchedule the full verification (default weekly, {@code 0 4 * * 0})
 * @param verifyBeforeMint whether a mint first needs an incremental verification to pass (the seed's
 *     "before critical operations")
 * @param pollInterval how often the scheduler looks at its clock; only tests lower it
 * @param anchorKey the anchor key file ({@code tally keygen}): successful verifications are recorded with its
 *     MAC, and an incremental one (the daily run, the mint gate) starts only from a run it authenticates;
 *     without it every verification is a full one
 * @param mail the e-mail alert channel, beside the webhooks, when configured
 */
public record AuditConfig(
        boolean enabled,
        String schedule,
        String fullSchedule,
        ZoneId zone,
        FailurePolicy onFailure,
        boolean verifyBeforeMint,
        Duration slowVerification,
        long slowVerificationEntries,
        double conflictRateThreshold,
        long conflictMinBatches,
        Duration conflictWindow,
        List<Webhook> webhooks,
        Duration webhookTimeout,
        int webhookRetries,
        Duration pollInterval,
        Optional<Path> anchorKey,
        Optional<MailAlerts> mail) {

    /** What a failed scheduled audit does besides alerting. */
    public enum FailurePolicy {
        /** Freeze the whole ledger (the seed's {@code freezeAllTransactions}) until an admin unfreezes it. */
        FREEZE,
        /** Only send the alerts. */
        ALERT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final AuditConfig DEFAULTS = new AuditConfig(
            true,
            "0 3 * * *",
            "0 4 * * 0",
            ZoneId.of("UTC"),
            FailurePolicy.FREEZE,
            true,
            Duration.ofSeconds(30),
            100_000,
            0.05,
            20,
            Duration.ofMinutes(1),
            List.of(),
            Duration.ofSeconds(5),
            3,
            Duration.ofSeconds(1),
            Optional.empty(),
            Optional.empty());

    public AuditConfig {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(slowVerification, "slowVerification");
        Objects.requireNonNull(conflictWindow, "conflictWindow");
        Objects.requireNonNull(webhookTimeout, "webhookTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(anchorKey, "anchorKey");
        webhooks = List.copyOf(webhooks);
        parseCron("audit.schedule", schedule);
        parseCron("audit.full_schedule", fullSchedule);
        if (conflictRateThreshold <= 0 || conflictRateThreshold > 1) {
            throw new ConfigException("audit.conflict_rate_threshold must be in (0, 1]");
        }
        if (webhookRetries < 0 || webhookRetries > 10) {
            throw new ConfigException("audit.webhook_retries must be between 0 and 10");
        }
        if (slowVerificationEntries < 1 || conflictMinBatches < 1) {
            throw new ConfigException(
                    "audit.slow_verification_entries and audit.conflict_min_batches must be positive");
        }
        requirePositive("audit.slow_verification", slowVerification);
        requirePositive("audit.conflict_window", conflictWindow);
        requirePositive("audit.webhook_timeout", webhookTimeout);
        requirePositive("audit.poll_interval", pollInterval);
    }

    /** The daily schedule, parsed. */
    public Cron dailyCron() {
        return parseCron("audit.schedule", schedule);
    }

    /** The full-verification schedule, parsed. */
    public Cron fullCron() {
        return parseCron("audit.full_schedule", fullSchedule);
    }

    /** Parses five-field UNIX cron syntax with cron-utils; a bad expression names its setting. */
    public static Cron parseCron(String setting, String expression) {
        if (expression == null || expression.isBlank()) {
            throw new ConfigException(setting + " is required (cron syntax such as \"0 3 * * *\")");
        }
        try {
            return new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                    .parse(expression.strip())
                    .validate();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    setting + " is not a valid cron expression (minute hour day month weekday): " + expression + " ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    private static void requirePositive(String setting, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(setting + " must be positive");
        }
    }

    public AuditConfig withEnabled(boolean on) {
        return new AuditConfig(
                on,
                schedule,
                fullSchedule,
                zone,
                onFailure,
                verifyBeforeMint,
                slowVerification,
                slowVerificationEntries,
                conflictRateThreshold,
                conflictMinBatches,
                conflictWindow,
                webhooks,
                webhookTimeout,
                webhookRetries,
                pollInterval,
                anchorKey,
                mail);
    }

    /** The same configuration, authenticating verification runs with the anchor key in {@code file}. */
    public AuditConfig withAnchorKey(Path file) {
        return new AuditConfig(
                enabled,
                schedule,
                fullSchedule,
                zone,
                onFailure,
                verifyBeforeMint,
                slowVerification,
                slowVerificationEntries,
                conflictRateThreshold,
                conflictMinBatches,
                conflictWindow,
                webhooks,
                webhookTimeout,
                webhookRetries,
                pollInterval,
                Optional.of(file),
                mail);
    }
}
