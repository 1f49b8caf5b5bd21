package dev.tally.ledger;

import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.store.AdminLogStore;
import dev.tally.core.store.FraudEventStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Review of the fraud shield's events: list them, and resolve an open one. {@code confirm} freezes the
 * account (if it is not frozen already), {@code release} lifts its freeze, {@code dismiss} only closes the
 * event. An event of the {@code hold} action settles the pending transfer it holds instead: {@code release}
 * and {@code dismiss} post it (the payment completes, with its tax), {@code confirm} voids it (the funds go
 * back) and freezes the sender. The ledger changes go through the sequencer like any other, so they are
 * versioned and ordered; every resolution is recorded in the admin log, whether it came through the API or
 * the CLI.
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

    /**
     * A resolved event and what resolving it did to the ledger, in words (e.g. that a held payment was posted,
     * or that nothing was posted because the hold had expired); empty when it only closed the event.
     */
    public record Resolved(FraudEvent event, Optional<String> effect) {}

    /** Events by increasing id after {@code afterId}, at most {@code limit}, with the status if given. */
    public List<FraudEvent> list(Optional<FraudEvent.Status> status, long afterId, int limit) {
        return events.list(status, afterId, limit);
    }

    public Optional<FraudEvent> find(long id) {
        return events.find(id);
    }

    /** The events that hold the pending transfer {@code pendingTransactionId} (a held payment's), oldest first. */
    public List<FraudEvent> holding(String pendingTransactionId) {
        return events.holding(pendingTransactionId);
    }

    /**
     * Resolves an open event as {@code actor}; returns it as it now stands.
     *
     * @throws RejectedException VALIDATION_FAILED when there is no such event or it is no longer open
     */
    public FraudEvent resolve(long id, Resolution resolution, String actor) {
        return resolution(id, resolution, actor).event();
    }

    /**
     * As {@link #resolve}, also saying what the resolution did to the ledger: for a {@code hold} event,
     * whether the held payment was posted or voided, or why nothing was.
     *
     * @throws RejectedException VALIDATION_FAILED when there is no such event or it is no longer open
     */
    public Resolved resolution(long id, Resolution resolution, String actor) {
        FraudEvent event = events.find(id).orElseThrow(() -> invalid("no fraud event " + id));
        if (event.status() != FraudEvent.Status.OPEN) {
            throw invalid("fraud event " + id + " is already " + event.status().label());
        }
        Optional<String> effect = event.pendingTransactionId().map(p -> settleHold(p, resolution, actor));
        Optional<Account> account = ledger.reads().findAccount(event.account().toString());
        if (resolution == Resolution.CONFIRM
                && account.isPresent()
                && !account.get().frozenForFraud()) {
            ledger.freezeAccount(
                    event.account(), "fraud confirmed by " + actor + ": event " + id + " (" + event.rule() + ")");
        } else if (resolution == Resolution.RELEASE
                && event.pendingTransactionId().isEmpty()
                && account.isPresent()
                && account.get().frozenForFraud()) {
            // A hold froze nobody, so releasing one lifts no freeze another event may have set.
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
                Optional.of(resolution.label() + effect.map(e -> ": " + e).orElse("")));
        return new Resolved(events.find(id).orElseThrow(), effect);
    }

    /**
     * Posts ({@code release}, {@code dismiss}) or voids ({@code confirm}) the pending transfer a held payment
     * became, under a transaction id of its own so that a retried resolution replays; says what happened.
     * A hold that expired posts nothing: its funds go back to the sender (voided now if the expiry sweep has
     * not voided it yet).
     */
    private String settleHold(String pendingId, Resolution resolution, String actor) {
        EntryContext context = EntryContext.actor(actor);
        if (resolution == Resolution.CONFIRM) {
            String voidId = Ledger.derivedId("hold-void-", pendingId);
            Outcome o = Ledger.join(ledger.submit(new Command.VoidPending(voidId, pendingId, context, true)));
            return switch (o) {
                case Outcome.Written w -> "held payment " + pendingId + " voided by " + voidId + "; funds returned";
                case Outcome.Replayed r -> "held payment " + pendingId + " voided by " + voidId + "; funds returned";
                case Outcome.Rejected r
                when r.rejection().code() == RejectionCode.PENDING_ALREADY_VOIDED ->
                    "held payment " + pendingId + " had already been voided"
                            + (expiredBefore(pendingId) ? " (its hold expired)" : "") + "; funds returned";
                case Outcome.Rejected r
                when r.rejection().code() == RejectionCode.PENDING_ALREADY_POSTED ->
                    "held payment " + pendingId + " had already been posted; nothing voided";
                default -> throw unexpected(o);
            };
        }
        String postId = Ledger.derivedId("hold-post-", pendingId);
        Outcome o =
                Ledger.join(ledger.submit(new Command.PostPending(postId, pendingId, Optional.empty(), context, true)));
        return switch (o) {
            case Outcome.Written w -> "held payment " + pendingId + " posted by " + postId;
            case Outcome.Replayed r -> "held payment " + pendingId + " posted by " + postId;
            case Outcome.Rejected r
            when r.rejection().code() == RejectionCode.PENDING_EXPIRED -> {
                Ledger.join(
                        ledger.submit(new Command.VoidPending(Ledger.expiryId(pendingId), pendingId, context, true)));
                yield "nothing was posted: the hold on payment " + pendingId
                        + " had expired; its funds went back to the sender";
            }
            case Outcome.Rejected r
            when r.rejection().code() == RejectionCode.PENDING_ALREADY_VOIDED ->
                expiredBefore(pendingId)
                        ? "nothing was posted: the hold on payment " + pendingId
                                + " had expired; its funds went back to the sender"
                        : "nothing was posted: held payment " + pendingId
                                + " had already been voided by another review; its funds went back to the sender";
            case Outcome.Rejected r
            when r.rejection().code() == RejectionCode.PENDING_ALREADY_POSTED ->
                "held payment " + pendingId + " had already been posted";
            default -> throw unexpected(o);
        };
    }

    /** Whether the expiry sweep voided the pending transfer (rather than another review). */
    private boolean expiredBefore(String pendingId) {
        return ledger.reads().findEntry(Ledger.expiryId(pendingId)).isPresent();
    }

    private static RuntimeException unexpected(Outcome o) {
        if (o instanceof Outcome.Rejected r) {
            return new RejectedException(r.rejection());
        }
        return new IllegalStateException("unexpected outcome " + o);
    }

    private static RejectedException invalid(String message) {
        return new RejectedException(new Rejection(RejectionCode.VALIDATION_FAILED, message, Optional.of("id")));
    }
}
