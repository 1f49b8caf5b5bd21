package dev.tally.server.http;

import dev.tally.core.account.Role;
import dev.tally.server.auth.ApiRole;
import java.util.Map;
import java.util.Optional;

/**
 * Which accounts a caller's key may debit or change, checked before a command is built, so that a refusal
 * never reaches the sequencer. The rule is the core's {@link Role#reaches}; a key acts with the authority of
 * an account role: an admin key with SYSTEM's (every account), a service key with USER's (user accounts only:
 * never the treasury, a SYSTEM or an ADMIN account), an auditor key with none. A route's {@link Access} says
 * whether a key may call it at all; this says which accounts it may touch there.
 */
final class Reach {
    private Reach() {}

    /** The account role whose authority a key acts with; empty when it may change no account. */
    static Optional<Role> authority(ApiRole key) {
        return switch (key) {
            case ADMIN -> Optional.of(Role.SYSTEM);
            case SERVICE -> Optional.of(Role.USER);
            case AUDITOR -> Optional.empty();
        };
    }

    /** Whether a key may debit or change an account of this role. */
    static boolean mayTouch(ApiRole key, Role owner) {
        return authority(key).map(a -> a.reaches(owner)).orElse(false);
    }

    /** Refuses, with 403 {@code PRIVILEGED_ACCOUNT} naming the field, money taken from an account beyond the caller's reach. */
    static void requireMayDebit(Call call, Role owner, String field) {
        if (!mayTouch(call.key().role(), owner)) {
            throw refused(
                    field,
                    "a " + call.key().role().label() + " key may not move money out of a " + owner
                            + " account; only admin operations debit the treasury and ADMIN or SYSTEM accounts");
        }
    }

    /** Refuses, with 403 {@code PRIVILEGED_ACCOUNT} naming the field, a change to an account beyond the caller's reach. */
    static void requireMayChange(Call call, Role owner, String field) {
        if (!mayTouch(call.key().role(), owner)) {
            throw refused(
                    field,
                    "a " + call.key().role().label() + " key may not change a " + owner
                            + " account; only an admin key changes the treasury and ADMIN or SYSTEM accounts");
        }
    }

    private static ApiException refused(String field, String detail) {
        ApiCode code = ApiCode.PRIVILEGED_ACCOUNT;
        return new ApiException(
                new Problem(code.name(), code.status(), code.title(), detail, Optional.of(field), Map.of()));
    }

    /** Whether a problem is this refusal (a batch refuses as a whole when one of its transfers is beyond the key's reach). */
    static boolean isRefusal(Problem p) {
        return p.code().equals(ApiCode.PRIVILEGED_ACCOUNT.name());
    }
}
