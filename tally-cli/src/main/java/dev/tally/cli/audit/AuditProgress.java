package dev.tally.cli.audit;

import dev.tally.cli.text.ProgressBar;
import dev.tally.core.audit.VerifyOptions;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A progress bar on stderr for audit runs that last longer than a second: short runs print nothing, so a
 * cron job's output stays clean. Fed by {@link VerifyOptions.Progress} from the verifying threads.
 */
final class AuditProgress implements VerifyOptions.Progress, AutoCloseable {
    private static final long SHOW_AFTER_MS = 1000;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong(1);
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> start;
    private volatile @Nullable ProgressBar bar;

    AuditProgress(PrintWriter err, String label) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-audit-progress");
            t.setDaemon(true);
            return t;
        });
        start = timer.schedule(
                () -> {
                    bar = ProgressBar.start(err, label, total.get(), done::get);
                },
                SHOW_AFTER_MS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void update(long verified, long of) {
        done.set(verified);
        total.set(Math.max(1, of));
    }

    @Override
    public void close() {
        start.cancel(false);
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProgressBar shown = bar;
        if (shown != null) {
            shown.close();
        }
    }
}
