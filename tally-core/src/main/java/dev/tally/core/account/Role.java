package dev.tally.core.account;

/**
 * What an account is: a player or customer, an administrator, or a system account such as the treasury.
 * Roles are ordered {@code USER < ADMIN < SYSTEM}, and a caller acting with a role's authority reaches
 * only accounts of that role or below ({@link #reaches}).
 */
public enum Role {
    USER(0),
    ADMIN(1),
    SYSTEM(2);

    private final int rank;

    Role(int rank) {
        this.rank = rank;
    }

    /**
     * Whether a caller acting with this role's authority may debit or change an account of role
     * {@code target}. A caller with USER authority (a service) reaches USER accounts only, so the treasury
     * and every ADMIN or SYSTEM account is debited and changed only with the authority of an admin.
     */
    public boolean reaches(Role target) {
        return target.rank <= rank;
    }

    /** Whether accounts of this role hold the ledger's or its staff's money (ADMIN, SYSTEM): beyond a service's reach. */
    public boolean privileged() {
        return this != USER;
    }
}
