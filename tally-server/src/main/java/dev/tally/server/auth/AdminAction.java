package dev.tally.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded admin action: who (the API key's name), what ({@code MINT}, {@code LEDGER_FREEZE}, ...),
 * on what, and details such as the reason.
 */
public record AdminAction(
        long id, Instant at, String keyName, String action, Optional<String> target, Optional<String> detail) {
    public AdminAction {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
    }
}
