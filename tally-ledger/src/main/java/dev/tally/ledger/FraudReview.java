package dev.tally.ledger;

import dev.tally.core.account.Account;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.store.AdminLogStore;
import dev.tally.core.store.FraudEventStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Review of the fraud shield's events: list them, and resolve an open one. {@code confirm} freezes the
 * account (if it is not frozen already), {@code release} lifts its freeze, {@code dismiss} only closes the
 * event. The account change goes through the sequencer like any other, so it is versioned and ordered;
 * every resolution is recorded in the admin log, whether it came through the API or the CLI.
 */
public final class FraudReview {
    private final FraudEventStore events;
    private final AdminLogStore adminLog;
    private final Ledger ledger;
    private final Clock clock;

    FraudReview(FraudEventStore events, AdminLogStore adminLog, Ledger ledger, Clock clock) {
        this.events = events;
        this.adminLog = adminLog;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a reviewer decides about an event. */
    public enum Resolution {
        DISMISS(FraudEvent.Status.DISMISSED),
        CONFIRM(FraudEvent.Status.CONFIRMED),
        RELEASE(FraudEvent.Status.RELEASED);

        private final FraudEvent.Status status;

        Resolution(FraudEvent.Status status) {
            this.status = status;
        }

        public FraudEvent.Status status() {
            return status;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code dismiss}, {@code confirm} or {@code release}. */
        public static Resolution parse(String text) {
            for (Resolution r : values()) {
                if (r.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new RejectedException(new Rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "action must be dismiss, confirm or release, not '" + text + "'",
                    Optional.of("action")));
        }
    }

    /** Events by increasing id after {@code afterId}, at most {@code limit}, with the status if given. */
    public List<FraudEvent> list(Optional<FraudEvent.Status> status, long afterId, int limit) {
        return events.list(status, afterId, limit);
    }

    public Optional<FraudEvent> find(long id) {
        return events.find(id);
    }

    /**
     * Resolves an open event as {@code actor}; returns it as it now stands.
     *
     * @throws RejectedException VALIDATION_FAILED when there is no such event or it is no longer open
     */
    public FraudEvent resolve(long id, Resolution resolution, String actor) {
        FraudEvent event = events.find(id).orElseThrow(() -> invalid("no fraud event " + id));
        if (event.status() != FraudEvent.Status.OPEN) {
            throw invalid("fraud event " + id + " is already " + event.status().label());
        }
        Optional<Account> account = ledger.reads().findAccount(event.account().toString());
        if (resolution == Resolution.CONFIRM
                && account.isPresent()
                && !account.get().frozenForFraud()) {
            ledger.freezeAccount(
                    event.account(), "fraud confirmed by " + actor + ": event " + id + " (" + event.rule() + ")");
        } else if (resolution == Resolution.RELEASE
                && account.isPresent()
                && account.get().frozenForFraud()) {
            ledger.unfreezeAccount(event.account());
        }
        if (!events.resolve(id, resolution.status(), actor, clock.instant())) {
            throw invalid("fraud event " + id + " was resolved by someone else meanwhile");
        }
        adminLog.append(
                clock.instant(),
                actor,
                "RESOLVE_FRAUD_EVENT",
                Optional.of(id + " (" + event.rule() + ", account " + event.account() + ")"),
                Optional.of(resolution.label()));
        return events.find(id).orElseThrow();
    }

    private static RejectedException invalid(String message) {
        return new RejectedException(new Rejection(RejectionCode.VALIDATION_FAILED, message, Optional.of("id")));
    }
}
