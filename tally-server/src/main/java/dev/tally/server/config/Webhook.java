package dev.tally.server.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Where an alert goes, and in which payload shape. */
public record Webhook(URI url, Format format) {
    /** The payload shapes: Tally's own JSON (always available), Slack's and Discord's incoming webhooks. */
    public enum Format {
        GENERIC,
        SLACK,
        DISCORD;

        public static Optional<Format> parse(String text) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Webhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new ConfigException("a webhook URL must be http or https: " + redacted(url));
        }
    }

    /** The URL without its path and query, which often hold the webhook's secret token. */
    public static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + "/...";
    }

    /** Webhook URLs carry secrets: never print them whole. */
    @Override
    public String toString() {
        return "Webhook[" + format.label() + " " + redacted(url) + "]";
    }
}
