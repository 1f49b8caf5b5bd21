package dev.tally.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@code postgresql://user:password@host:port/db?params} URL (libpq's form) split into the JDBC URL
 * the driver takes and the credentials, which the driver wants separately.
 */
public record PostgresUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {
    /** Whether {@code url} is in libpq's {@code postgresql://} or {@code postgres://} form. */
    public static boolean isLibpqForm(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://");
    }

    /** Parses a {@code postgresql://} or {@code postgres://} URL; percent-escapes in credentials are decoded. */
    public static PostgresUrl parse(String url) {
        URI u = URI.create(url);
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            user = Optional.of(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            password = parts.length > 1
                    ? Optional.of(URLDecoder.decode(parts[1], StandardCharsets.UTF_8))
                    : Optional.empty();
        }
        String port = u.getPort() > 0 ? ":" + u.getPort() : "";
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return new PostgresUrl("jdbc:postgresql://" + u.getHost() + port + u.getRawPath() + query, user, password);
    }
}
