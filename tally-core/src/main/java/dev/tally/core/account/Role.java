package dev.tally.core.account;

/** What an account is: a player or customer, an administrator, or a system account such as the treasury. */
public enum Role {
    USER, ADMIN, SYSTEM
}
