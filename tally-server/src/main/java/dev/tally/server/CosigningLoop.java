package dev.tally.server;

import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.witness.Cosigning;
import dev.tally.server.config.TransparencyConfig;
import dev.tally.verify.CosignatureVerifier;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each new checkpoint to the configured witnesses, on its own virtual thread: the ledger never waits
 * for a witness. A round in which a witness was unreachable or refused is retried after a pause that doubles
 * up to a minute.
 */
final class CosigningLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CosigningLoop.class);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final Thread thread;
    private volatile boolean stopped;

    private CosigningLoop(Ledger ledger, TransparencyConfig config) {
        Cosigning cosigning = new Cosigning(
                ledger.log().merkleLog(),
                config.witnesses().stream()
                        .map(w -> new Cosigning.Endpoint(
                                w.name(), w.url(), CosignatureVerifier.fromVerifierKey(w.verifierKey())))
                        .toList(),
                config.witnessTimeout());
        this.thread = Thread.ofVirtual().name("tally-cosigning").unstarted(() -> run(ledger, cosigning));
    }

    static CosigningLoop start(Ledger ledger, TransparencyConfig config) {
        CosigningLoop loop = new CosigningLoop(ledger, config);
        loop.thread.start();
        return loop;
    }

    private void run(Ledger ledger, Cosigning cosigning) {
        long doneSize = -1;
        Duration backoff = TICK;
        long nextTry = 0;
        while (!stopped) {
            try {
                Thread.sleep(TICK.toMillis());
                long size = ledger.log()
                        .merkleLog()
                        .latestCheckpoint()
                        .map(SignedCheckpoint::size)
                        .orElse(-1L);
                if (size < 0 || (size == doneSize && System.nanoTime() < nextTry)) {
                    continue;
                }
                Map<String, Cosigning.Outcome> outcomes = cosigning.cosignLatest();
                boolean complete = outcomes.values().stream()
                        .allMatch(o -> o == Cosigning.Outcome.COSIGNED || o == Cosigning.Outcome.ALREADY);
                doneSize = size;
                backoff = complete ? TICK : min(backoff.multipliedBy(2), MAX_BACKOFF);
                nextTry = complete ? Long.MAX_VALUE : System.nanoTime() + backoff.toNanos();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("cosigning round failed: {}", e.toString());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
