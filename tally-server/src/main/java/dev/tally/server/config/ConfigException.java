package dev.tally.server.config;

/** The server's configuration (file, environment or flags) is invalid; the message names the setting. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
