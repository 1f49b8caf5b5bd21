package dev.tally.ledger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a read was served from, for its report: the primary or the replica, the replica's lag behind the primary
 * when it was measured (entries, and WAL bytes on PostgreSQL), and a warning when a replica was configured but
 * could not serve (down, or too far behind) and the primary was read instead.
 */
public record ReadFrom(Source source, OptionalLong lagEntries, OptionalLong lagBytes, Optional<String> warning) {
    /** The store a read was served from. */
    public enum Source {
        PRIMARY,
        REPLICA
    }

    public ReadFrom {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(lagEntries, "lagEntries");
        Objects.requireNonNull(lagBytes, "lagBytes");
        Objects.requireNonNull(warning, "warning");
    }

    /** The primary, with no replica configured. */
    public static ReadFrom primary() {
        return new ReadFrom(Source.PRIMARY, OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    /** The replica, {@code lagEntries} (and {@code lagBytes}) behind the primary. */
    public static ReadFrom replica(long lagEntries, OptionalLong lagBytes) {
        return new ReadFrom(Source.REPLICA, OptionalLong.of(lagEntries), lagBytes, Optional.empty());
    }

    /** The primary, because the replica could not serve for the reason given. */
    public static ReadFrom fallback(String why, OptionalLong lagEntries, OptionalLong lagBytes) {
        return new ReadFrom(Source.PRIMARY, lagEntries, lagBytes, Optional.of(why));
    }

    public boolean fromReplica() {
        return source == Source.REPLICA;
    }

    /** {@code read_from}, {@code replica_lag} ({@code entries}, {@code wal_bytes}) when measured, {@code warning}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_from", source.name().toLowerCase(Locale.ROOT));
        if (lagEntries.isPresent() || lagBytes.isPresent()) {
            Map<String, Object> lag = new LinkedHashMap<>();
            lagEntries.ifPresent(n -> lag.put("entries", n));
            lagBytes.ifPresent(n -> lag.put("wal_bytes", n));
            m.put("replica_lag", lag);
        }
        warning.ifPresent(w -> m.put("warning", w));
        return m;
    }

    /** One line for people: {@code read from the replica (lag 3 entries, 512 WAL bytes)}. */
    public String describe() {
        StringBuilder b =
                new StringBuilder("read from the ").append(source.name().toLowerCase(Locale.ROOT));
        if (lagEntries.isPresent() || lagBytes.isPresent()) {
            b.append(" (replica lag");
            lagEntries.ifPresent(n -> b.append(' ').append(n).append(" entries"));
            lagBytes.ifPresent(
                    n -> b.append(lagEntries.isPresent() ? ", " : " ").append(n).append(" WAL bytes"));
            b.append(')');
        }
        warning.ifPresent(w -> b.append(": ").append(w));
        return b.toString();
    }
}
