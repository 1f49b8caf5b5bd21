package dev.tally.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded admin action.
 *
 * @param id its place in the log, increasing
 * @param at when it took effect
 * @param keyName the name of the API key (or operator) that did it
 * @param action what was done, e.g. {@code MINT}
 * @param target what it was done to, if anything
 * @param detail further detail such as a reason
 */
public record AdminActionRow(
        long id, Instant at, String keyName, String action, Optional<String> target, Optional<String> detail) {
    public AdminActionRow {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
    }
}
