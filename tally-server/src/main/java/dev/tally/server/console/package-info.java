/**
 * The operator console: server-rendered HTML pages at {@code /console} over the same ledger reads, views and
 * admin log as the HTTP API, signed in with an API key into a server-side session.
 */
@NullMarked
package dev.tally.server.console;

import org.jspecify.annotations.NullMarked;
