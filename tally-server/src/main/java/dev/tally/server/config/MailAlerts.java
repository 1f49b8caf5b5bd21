package dev.tally.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The e-mail alert channel: an SMTP server and who gets the alerts. The password is never in the
 * configuration file: it is read from the environment variable the file names ({@code password_env}).
 *
 * @param consoleUrl the console's address as operators open it (such as {@code https://tally.example/console}),
 *     for the link to the verification history in a failure e-mail
 */
public record MailAlerts(
        String host,
        int port,
        Security security,
        Optional<String> user,
        Optional<String> password,
        String from,
        List<String> to,
        Optional<String> consoleUrl) {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain SMTP that upgrades with STARTTLS, and refuses a server that cannot (submission, port 587). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        TLS,
        /** No TLS: only for a relay on the same host or in tests. */
        NONE;

        public static Security parse(String text) {
            for (Security s : values()) {
                if (s.name().equalsIgnoreCase(text.strip())) {
                    return s;
                }
            }
            throw new ConfigException("audit.mail.security must be starttls, tls or none, not " + text);
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MailAlerts {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(consoleUrl, "consoleUrl");
        to = List.copyOf(to);
        if (host.isBlank()) {
            throw new ConfigException("audit.mail.host is required");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("audit.mail.port must be from 1 to 65535");
        }
        if (from.isBlank() || !from.contains("@")) {
            throw new ConfigException("audit.mail.from must be an e-mail address");
        }
        if (to.isEmpty()) {
            throw new ConfigException("audit.mail.to must list at least one recipient");
        }
        for (String r : to) {
            if (!r.contains("@")) {
                throw new ConfigException("audit.mail.to: " + r + " is not an e-mail address");
            }
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new ConfigException(
                    "audit.mail.user is set but its password is not: set the variable named by audit.mail.password_env");
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "smtp://" + user.map(u -> u + "@").orElse("") + host + ":" + port + " (" + security.label() + ") to "
                + to;
    }
}
