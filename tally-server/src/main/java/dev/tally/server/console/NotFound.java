package dev.tally.server.console;

/** What a console page looked up does not exist: a 404 page saying what was missing. */
final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
        super(message);
    }
}
