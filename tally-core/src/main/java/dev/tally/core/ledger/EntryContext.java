package dev.tally.core.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Who asked for an entry and from where: the actor (an API key name or a CLI user), the client's IP address
 * and user agent, as the seed's ledger records them. Each is optional and length-limited. A new command
 * refuses control and formatting characters in them ({@link dev.tally.core.command.Command}); a context read
 * back from an entry is taken as it was stored. It also carries the {@link Metadata} the client attached to the
 * command, which the entry records and its hash covers.
 */
public record EntryContext(
        Optional<String> actor, Optional<String> ipAddress, Optional<String> userAgent, Metadata metadata) {
    public static final int MAX_ACTOR = 128;
    public static final int MAX_IP = 64;
    public static final int MAX_USER_AGENT = 512;
    public static final EntryContext NONE = new EntryContext(Optional.empty(), Optional.empty(), Optional.empty());

    /** A context without metadata. */
    public EntryContext(Optional<String> actor, Optional<String> ipAddress, Optional<String> userAgent) {
        this(actor, ipAddress, userAgent, Metadata.EMPTY);
    }

    public EntryContext {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(ipAddress, "ipAddress");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(metadata, "metadata");
        requireMax("actor", actor, MAX_ACTOR);
        requireMax("ip_address", ipAddress, MAX_IP);
        requireMax("user_agent", userAgent, MAX_USER_AGENT);
    }

    /** A context naming only the actor. */
    public static EntryContext actor(String actor) {
        return new EntryContext(Optional.of(actor), Optional.empty(), Optional.empty());
    }

    /** The same context carrying the client's metadata (validated when it was built). */
    public EntryContext withMetadata(Metadata m) {
        return new EntryContext(actor, ipAddress, userAgent, m);
    }

    /**
     * Refuses a context with a control or formatting character in any field (see
     * {@link dev.tally.core.text.SafeText}), naming the field: what a new command may record.
     */
    public void requireSafe() {
        actor.ifPresent(v -> dev.tally.core.text.SafeText.requireSafe("actor", v));
        ipAddress.ifPresent(v -> dev.tally.core.text.SafeText.requireSafe("ip_address", v));
        userAgent.ifPresent(v -> dev.tally.core.text.SafeText.requireSafe("user_agent", v));
    }

    private static void requireMax(String field, Optional<String> value, int max) {
        if (value.isPresent() && value.get().length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
    }
}
