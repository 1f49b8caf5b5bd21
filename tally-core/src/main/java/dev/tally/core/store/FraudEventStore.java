package dev.tally.core.store;

import dev.tally.core.fraud.FraudEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The fraud events kept beside the ledger. The sequencer writes new events with their batch
 * ({@link dev.tally.core.engine.WriteSet#fraudEvents()}); review moves them out of {@code open} here.
 * Thread-safe.
 */
public interface FraudEventStore {
    /** Events by increasing id after {@code afterId}, at most {@code limit}, with the status if given. */
    List<FraudEvent> list(Optional<FraudEvent.Status> status, long afterId, int limit);

    Optional<FraudEvent> find(long id);

    /** The events that hold the pending transfer {@code pendingTransactionId}, by increasing id. */
    List<FraudEvent> holding(String pendingTransactionId);

    /**
     * The events opened at or after {@code since}, whatever their status, by increasing id: what the
     * shield's flag de-duplication is rebuilt from when its windows are.
     */
    List<FraudEvent> openedSince(Instant since);

    /**
     * Moves an open event to {@code status}, saying who did it and when; false when the event is not open
     * (any more), so two reviewers cannot both resolve it.
     */
    boolean resolve(long id, FraudEvent.Status status, String actor, Instant at);
}
