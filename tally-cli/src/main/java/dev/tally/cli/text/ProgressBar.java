package dev.tally.cli.text;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A one-line text progress bar that redraws itself in place with {@code \r} ten times a second, from its
 * own thread, reading a counter the workers advance. It draws only on an interactive terminal: piped or
 * captured output gets nothing, so logs and scripts never see carriage returns.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final LongSupplier done;
    /** Null for a silent bar (not a terminal). */
    private final @Nullable ScheduledExecutorService ticker;

    private ProgressBar(PrintWriter out, String label, long total, LongSupplier done, boolean enabled) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.done = done;
        if (enabled) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tally-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 0, 100, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** Starts a bar on {@code out} when the process runs on an interactive terminal; otherwise a silent one. */
    public static ProgressBar start(PrintWriter out, String label, long total, LongSupplier done) {
        return new ProgressBar(out, label, total, done, interactive());
    }

    /** The bar as drawn for a count, e.g. {@code payments [#######.......]  1200/3000  40%}. */
    public static String render(String label, long done, long total) {
        long clamped = Math.min(Math.max(done, 0), total);
        int filled = (int) (WIDTH * clamped / total);
        return label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + clamped + "/" + total + " "
                + (100 * clamped / total) + "%";
    }

    private void draw() {
        synchronized (out) {
            out.print("\r" + render(label, done.getAsLong(), total));
            out.flush();
        }
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        synchronized (out) {
            out.println();
            out.flush();
        }
    }

    /**
     * Whether the process talks to a person. {@code System.console()} is null when stdin or stdout is
     * redirected; from JDK 22 it may exist anyway, and {@code Console.isTerminal()} (looked up reflectively,
     * since Tally targets 21) tells the truth.
     */
    // Release 21 has no Console.isTerminal(): it is called reflectively where it exists, after the null check 21 needs.
    @SuppressWarnings("SystemConsoleNull")
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException onJdk21) {
            return true;
        }
    }
}
