package dev.tally.core.account;

import dev.tally.core.text.SafeText;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An account (the seed's User): identity, role and the fraud freeze. Balances live beside it, one per
 * currency, in {@link dev.tally.core.engine.Balance}.
 *
 * <p>{@code version} is the optimistic-concurrency token: every change to the account row increments it,
 * and a writer that read an older version fails with a version conflict instead of overwriting.
 */
public record Account(
        UUID id,
        String username,
        String email,
        Role role,
        boolean frozenForFraud,
        Optional<String> frozenReason,
        Optional<Instant> frozenAt,
        Instant createdAt,
        Instant updatedAt,
        long version,
        AccountLimits limits) {

    public static final int MAX_USERNAME = 64;
    public static final int MAX_EMAIL = 254;
    public static final int MAX_REASON = 500;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(frozenReason, "frozenReason");
        Objects.requireNonNull(frozenAt, "frozenAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(limits, "limits");
        // Shape only: a row an older version stored must still load (and print escaped), even where a new
        // value would now be refused.
        requireUsernameShape(username);
        requireEmailShape(email);
    }

    /** An account without limits (no overdraft, no cap in any currency). */
    public Account(
            UUID id,
            String username,
            String email,
            Role role,
            boolean frozenForFraud,
            Optional<String> frozenReason,
            Optional<Instant> frozenAt,
            Instant createdAt,
            Instant updatedAt,
            long version) {
        this(
                id,
                username,
                email,
                role,
                frozenForFraud,
                frozenReason,
                frozenAt,
                createdAt,
                updatedAt,
                version,
                AccountLimits.NONE);
    }

    /** A new, unfrozen account at version 1. */
    public static Account open(UUID id, String username, String email, Role role, Instant now) {
        return new Account(id, username, email, role, false, Optional.empty(), Optional.empty(), now, now, 1);
    }

    /**
     * Whether {@code text} has the shape of a username (ASCII letters, digits, {@code _.-}, 1-64 long). Text
     * without it names no account, so a lookup can answer "none" without asking the store.
     */
    public static boolean hasUsernameShape(String text) {
        return USERNAME.matcher(text).matches();
    }

    /**
     * Validates a new username: 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit, and
     * not shaped like an account id. A username that reads as a UUID could shadow, or be shadowed by, the
     * account with that id wherever an account is named "by id or username", so none is accepted at all.
     * Usernames are unique regardless of case (the engine and the store enforce that; see
     * {@link #usernameKey}).
     */
    public static void requireValidUsername(String username) {
        requireUsernameShape(username);
        if (readsAsId(username)) {
            throw new IllegalArgumentException("username must not be shaped like an account id (a UUID): " + username);
        }
    }

    /**
     * Validates a new e-mail address loosely (one '@', a dot in the domain, at most 254 characters) and
     * refuses control and formatting characters (see {@link SafeText}).
     */
    public static void requireValidEmail(String email) {
        requireEmailShape(email);
        SafeText.requireSafe("email", email);
    }

    /** The form under which usernames are unique: {@code Alice} and {@code alice} are the same name. */
    public static String usernameKey(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /** Whether a text parses as a UUID, as a lookup "by id or username" would read it (leniently: {@code 1-2-3-4-5} does). */
    private static boolean readsAsId(String text) {
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }

    private static void requireUsernameShape(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username must be 1-" + MAX_USERNAME
                    + " letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    private static void requireEmailShape(String email) {
        if (email == null || email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException(
                    "email must be an address such as name@example.com, at most " + MAX_EMAIL + " characters");
        }
    }

    /** This account frozen for fraud, one version later. */
    public Account freeze(String reason, Instant now) {
        return new Account(
                id,
                username,
                email,
                role,
                true,
                Optional.of(reason),
                Optional.of(now),
                createdAt,
                now,
                version + 1,
                limits);
    }

    /** This account unfrozen, one version later. */
    public Account unfreeze(Instant now) {
        return new Account(
                id,
                username,
                email,
                role,
                false,
                Optional.empty(),
                Optional.empty(),
                createdAt,
                now,
                version + 1,
                limits);
    }

    /** This account with a new e-mail address, one version later. */
    public Account withEmail(String newEmail, Instant now) {
        return new Account(
                id,
                username,
                newEmail,
                role,
                frozenForFraud,
                frozenReason,
                frozenAt,
                createdAt,
                now,
                version + 1,
                limits);
    }

    /** This account with {@code limit} in {@code currency}, one version later. */
    public Account withLimit(String currency, AccountLimit limit, Instant now) {
        return new Account(
                id,
                username,
                email,
                role,
                frozenForFraud,
                frozenReason,
                frozenAt,
                createdAt,
                now,
                version + 1,
                limits.with(currency, limit));
    }

    /** The limit in {@code currency} ({@link AccountLimit#NONE} unless an admin set one). */
    public AccountLimit limit(String currency) {
        return limits.of(currency);
    }
}
