package dev.tally.server.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Something an operator must hear about: a failed verification or reconciliation, an audit that could
 * not run, a slow verification, a high OCC conflict rate. {@code details} holds plain values (the report's
 * map) for the generic JSON payload.
 *
 * @param action what Tally did about it ("ledger frozen", "alert only")
 */
public record Alert(Kind kind, Instant at, String title, String message, String action, Map<String, Object> details) {
    /** What happened; the name is the alert's stable {@code kind} in the payload. */
    public enum Kind {
        VERIFICATION_FAILED(true),
        RECONCILIATION_FAILED(true),
        AUDIT_ERROR(true),
        SLOW_VERIFICATION(false),
        OCC_CONFLICT_RATE(false),
        FRAUD_FREEZE(false);

        private final boolean critical;

        Kind(boolean critical) {
            this.critical = critical;
        }

        /** {@code critical} for integrity failures, {@code warning} for performance. */
        public String severity() {
            return critical ? "critical" : "warning";
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Alert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(action, "action");
        details = Map.copyOf(details);
    }
}
