package dev.tally.ledger;

import dev.tally.core.store.LedgerStore;
import dev.tally.core.store.ReplicationPosition;
import dev.tally.store.OpenMode;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Where a ledger's reads go: a read replica (a streaming standby of the primary) when one is configured and
 * close enough, else the primary. Each {@link #view()} measures the replica's lag afresh, the replica first and
 * then the primary, so the lag it reports is never less than the true one. A replica that is down or lags more
 * than {@link ReplicaConfig} allows is passed over for the primary with a warning, or refused, as configured.
 *
 * <p>The replica's store is opened {@link OpenMode#READ_ONLY}: no migration, no partitions, read-only
 * transactions. Writes stay on the primary, and so do the records of audit runs (their anchors). Thread-safe.
 */
public final class ReadReplica implements AutoCloseable {
    /** What happened when the replica could not serve: the primary was read, or the read failed. */
    public enum Unusable {
        FELL_BACK,
        FAILED
    }

    private final Ledger ledger;
    private final Optional<ReplicaConfig> config;
    private final AtomicLong unusable = new AtomicLong();
    private volatile BiConsumer<Unusable, String> listener = (what, why) -> {};
    private @Nullable LedgerStore replica;

    private ReadReplica(Ledger ledger, Optional<ReplicaConfig> config) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.config = config;
    }

    /** No replica: every read goes to the ledger's primary store. */
    public static ReadReplica none(Ledger ledger) {
        return new ReadReplica(ledger, Optional.empty());
    }

    /**
     * Reads from the replica {@code config} names when it can serve. It is not connected to yet: a replica that
     * is down is found by the first {@link #view()}, not here, so a ledger opens whatever the replica's state.
     */
    public static ReadReplica of(Ledger ledger, ReplicaConfig config) {
        return new ReadReplica(ledger, Optional.of(config));
    }

    /** Whether a replica is configured. */
    public boolean configured() {
        return config.isPresent();
    }

    /** How many times the replica could not serve (fell back or failed) since this was made. */
    public long unusableCount() {
        return unusable.get();
    }

    /** Called (on the reading thread) each time the replica could not serve, with what was done and why. */
    public void onUnusable(BiConsumer<Unusable, String> newListener) {
        this.listener = Objects.requireNonNull(newListener, "listener");
    }

    /**
     * The read side to use now: the replica's when it is up and within the configured lag, else the primary's with
     * a warning in {@link ReadView#from()}.
     *
     * @throws ReplicaUnavailableException when the replica cannot serve and the configuration says to fail
     */
    public ReadView view() {
        if (config.isEmpty()) {
            return primaryView(ReadFrom.primary());
        }
        ReplicaConfig c = config.get();
        LedgerStore primary = ledger.primaryStore();
        OptionalLong lagEntries = OptionalLong.empty();
        OptionalLong lagBytes = OptionalLong.empty();
        String problem;
        try {
            LedgerStore store = replicaStore(c);
            ReplicationPosition behind = store.replicationPosition();
            ReplicationPosition ahead = primary.replicationPosition();
            long entries = Math.max(0, ahead.headSeq() - behind.headSeq());
            lagEntries = OptionalLong.of(entries);
            if (behind.walBytes().isPresent() && ahead.walBytes().isPresent()) {
                lagBytes = OptionalLong.of(Math.max(
                        0, ahead.walBytes().getAsLong() - behind.walBytes().getAsLong()));
            }
            boolean bytesWithin = lagBytes.isEmpty() || lagBytes.getAsLong() <= c.maxLagBytes();
            if (entries <= c.maxLagEntries() && bytesWithin) {
                return replicaView(store, primary, ReadFrom.replica(entries, lagBytes));
            }
            problem = "the replica lags " + entries + " entries"
                    + (lagBytes.isPresent() ? " (" + lagBytes.getAsLong() + " WAL bytes)" : "")
                    + " behind the primary, more than the " + c.maxLagEntries() + " entries"
                    + (c.maxLagBytes() == Long.MAX_VALUE ? "" : " or " + c.maxLagBytes() + " WAL bytes")
                    + " allowed";
        } catch (RuntimeException e) {
            // Reopened on the next read: the replica may come back.
            closeReplica();
            problem = "the replica cannot be read (" + oneLine(e) + ")";
        }
        unusable.incrementAndGet();
        if (c.fallback() == ReplicaConfig.Fallback.FAIL) {
            listener.accept(Unusable.FAILED, problem);
            throw new ReplicaUnavailableException(problem + "; replica fallback is 'fail', so nothing was read");
        }
        listener.accept(Unusable.FELL_BACK, problem);
        LoggerFactory.getLogger(ReadReplica.class).warn("{}; reading the primary instead", problem);
        return primaryView(ReadFrom.fallback(problem + "; read the primary instead", lagEntries, lagBytes));
    }

    private ReadView primaryView(ReadFrom from) {
        return new ReadView(ledger.reads(), ledger.audit(), ledger.log(), from);
    }

    private ReadView replicaView(LedgerStore store, LedgerStore primary, ReadFrom from) {
        return new ReadView(
                new LedgerReads(store, ledger.rules(), ledger.clock()),
                LedgerAudit.ofReplica(store, primary, ledger.rules(), ledger.clock()),
                new LedgerLog(store, ledger.clock(), Optional.empty(), Optional.empty()),
                from);
    }

    private synchronized LedgerStore replicaStore(ReplicaConfig c) {
        LedgerStore open = replica;
        if (open == null) {
            open = Stores.open(c.location(), new StoreOptions(true, 4, OpenMode.READ_ONLY, ledger.clock()));
            replica = open;
        }
        return open;
    }

    private synchronized void closeReplica() {
        LedgerStore open = replica;
        replica = null;
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException e) {
                // Closing a store whose server went away may fail too; it is dropped either way.
            }
        }
    }

    private static String oneLine(RuntimeException e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m)
                .replaceAll("\\s+", " ")
                .trim();
    }

    /** Closes the replica's store, if open; the ledger stays open. */
    @Override
    public void close() {
        closeReplica();
    }
}
