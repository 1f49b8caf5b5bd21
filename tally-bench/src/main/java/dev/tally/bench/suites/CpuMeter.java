package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process's CPU time over a phase, split by who spent it, so that a rate can be read as CPU per operation
 * and set against what the machine's cores allow (a rate of {@code r}/s at {@code c} µs of CPU each needs
 * {@code r·c/10⁶} cores). Threads are grouped by name; virtual threads (the server's request handlers and
 * Jetty's selector under {@code tally serve}, and the load generator's clients) run on the carrier threads
 * of the common scheduler, so their CPU is counted there together. On Linux the JVM's own threads are read
 * from {@code /proc/self/task}: the garbage collector's ({@code gc}) and the JIT compilers' ({@code jit}).
 * Whatever else the process spent (other JVM threads, threads that ended during the phase) is
 * {@code jvm_other_and_ended}.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The groups, in report order: a thread belongs to the first whose name prefix it starts with. */
    private static final Map<String, String> GROUPS = groups();

    /** Clock ticks per second of {@code /proc/.../stat} (USER_HZ, 100 on Linux). */
    private static final double TICK_NANOS = 1e9 / 100;

    private final long processStart;
    private final Map<String, Long> jvmStart;
    private final Map<Long, Long> threadStart = new java.util.HashMap<>();
    private final Map<Long, String> groupOf = new java.util.HashMap<>();

    private CpuMeter() {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                threadStart.put(t.getThreadId(), Math.max(0, THREADS.getThreadCpuTime(t.getThreadId())));
            }
        }
        jvmStart = jvmThreads();
        processStart = OS.getProcessCpuTime();
    }

    /** Starts measuring now. */
    static CpuMeter start() {
        return new CpuMeter();
    }

    /** CPU spent since {@link #start()}: in all, and by group of threads, in nanoseconds. */
    Spent stop() {
        long process = OS.getProcessCpuTime() - processStart;
        Map<String, Long> byGroup = new LinkedHashMap<>();
        for (String g : GROUPS.values()) {
            byGroup.put(g, 0L);
        }
        byGroup.put("other_threads", 0L);
        long threads = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) {
                continue;
            }
            long spent = now - threadStart.getOrDefault(t.getThreadId(), 0L);
            String group = groupOf.computeIfAbsent(t.getThreadId(), id -> group(t.getThreadName()));
            byGroup.merge(group, spent, Long::sum);
            threads += spent;
        }
        Map<String, Long> jvm = jvmThreads();
        for (String g : List.of("gc", "jit")) {
            long spent = Math.max(0, jvm.getOrDefault(g, 0L) - jvmStart.getOrDefault(g, 0L));
            byGroup.put(g, spent);
            threads += spent;
        }
        byGroup.put("jvm_other_and_ended", Math.max(0, process - threads));
        return new Spent(process, byGroup);
    }

    /**
     * CPU of the JVM's own threads so far, by {@code gc} and {@code jit}, from {@code /proc/self/task/N/stat}
     * (the thread's name, then user and system ticks); empty where there is no such file.
     */
    private static Map<String, Long> jvmThreads() {
        Map<String, Long> spent = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return spent;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                String group = name.startsWith("GC Thread") || name.startsWith("G1 ")
                        ? "gc"
                        : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "jit" : "";
                if (group.isEmpty()) {
                    continue;
                }
                // After the name: state, then 10 fields, then utime (14th field) and stime (15th).
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                spent.merge(group, Math.round(ticks * TICK_NANOS), Long::sum);
            } catch (java.io.IOException | RuntimeException gone) {
                // The thread ended while it was read.
            }
        }
        return spent;
    }

    private static String group(String threadName) {
        for (Map.Entry<String, String> e : GROUPS.entrySet()) {
            if (threadName.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return "other_threads";
    }

    private static Map<String, String> groups() {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("ForkJoinPool", "virtual_thread_carriers");
        g.put("tally-sequencer", "sequencer");
        g.put("tally-committer", "committer");
        g.put("tally-wal-checkpoint", "wal_checkpointer");
        return g;
    }

    /** CPU spent over a phase. */
    record Spent(long processNanos, Map<String, Long> byGroupNanos) {
        /** Microseconds of CPU per operation, in all and by group. */
        ObjectNode perOperationJson(long operations) {
            ObjectNode n = Views.object();
            n.put("process_us", round(processNanos / 1e3 / operations));
            ObjectNode groups = n.putObject("by_thread_group_us");
            byGroupNanos.forEach((g, ns) -> groups.put(g, round(ns / 1e3 / operations)));
            return n;
        }

        /** One line: µs per operation, and the rate those µs allow on {@code cores} cores. */
        String text(long operations, int cores) {
            double us = processNanos / 1e3 / operations;
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%.1f µs CPU each (", us));
            String sep = "";
            for (Map.Entry<String, Long> e : byGroupNanos.entrySet()) {
                double g = e.getValue() / 1e3 / operations;
                if (g >= 0.05) {
                    sb.append(sep)
                            .append(e.getKey())
                            .append(' ')
                            .append(String.format(java.util.Locale.ROOT, "%.1f", g));
                    sep = ", ";
                }
            }
            return sb.append("); ")
                    .append(Format.count(cores * 1e6 / us))
                    .append("/s would fill ")
                    .append(cores)
                    .append(" cores")
                    .toString();
        }

        private static double round(double v) {
            return Math.round(v * 10) / 10.0;
        }
    }
}
