package dev.tally.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * How to verify a chain.
 *
 * @param mode a full run from genesis, or an incremental one from the last successful run's anchor
 * @param parallelism how many ranges are verified at once (threads, and database connections)
 * @param maxFindings how many findings a report lists; the rest are counted in {@code findings_truncated}
 * @param scan how rows are read: {@link Scan#FAST} where the store has a fast scanner, or
 *     {@link Scan#STREAMING}, entry by entry through the store interface, the reference the fast scanner
 *     is tested against
 * @param progress told how far the run is, from the verifying threads
 * @param checkpoints signed checkpoints to check the ledger against as well (see {@link CheckpointVerifier}):
 *     a full run recomputes every checkpoint's root from the entries; an incremental run starts from the
 *     newest checkpoint whose signature verified
 * @param anchorKey the key that authenticates recorded runs: a successful run is recorded with its MAC, and
 *     an incremental run starts only from a run whose MAC verifies; without it an incremental run is a full one
 */
public record VerifyOptions(
        Mode mode,
        int parallelism,
        int maxFindings,
        Scan scan,
        Progress progress,
        Optional<CheckpointCheck> checkpoints,
        Optional<AnchorKey> anchorKey) {
    /** Findings a report lists by default. */
    public static final int DEFAULT_MAX_FINDINGS = 100;

    /** Which part of the chain a run covers. */
    public enum Mode {
        /** Every entry, from genesis. */
        FULL,
        /**
         * Only the entries after the last successful run's last entry, whose recorded hash anchors the new
         * range. Only a run whose MAC verifies under the {@link VerifyOptions#anchorKey() anchor key} counts;
         * without a key, or without such a run, a full run is made.
         */
        INCREMENTAL
    }

    /** How the rows are read. */
    public enum Scan {
        FAST,
        STREAMING
    }

    /** Receives progress, possibly from several threads at once and often; must be cheap and thread-safe. */
    @FunctionalInterface
    public interface Progress {
        /** Nothing to tell. */
        Progress NONE = (verified, total) -> {};

        void update(long verified, long total);
    }

    public VerifyOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(anchorKey, "anchorKey");
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("parallelism must be 1-64: " + parallelism);
        }
        if (maxFindings < 1) {
            throw new IllegalArgumentException("maxFindings must be positive: " + maxFindings);
        }
    }

    /** Options without a checkpoint check. */
    public VerifyOptions(Mode mode, int parallelism, int maxFindings, Scan scan, Progress progress) {
        this(mode, parallelism, maxFindings, scan, progress, Optional.empty(), Optional.empty());
    }

    /** Options with a checkpoint check but no anchor key. */
    public VerifyOptions(
            Mode mode,
            int parallelism,
            int maxFindings,
            Scan scan,
            Progress progress,
            Optional<CheckpointCheck> checkpoints) {
        this(mode, parallelism, maxFindings, scan, progress, checkpoints, Optional.empty());
    }

    /** A full, fast run on every core, listing up to {@value #DEFAULT_MAX_FINDINGS} findings. */
    public static VerifyOptions full() {
        return new VerifyOptions(
                Mode.FULL,
                Math.min(64, Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_FINDINGS,
                Scan.FAST,
                Progress.NONE);
    }

    /** An incremental run, otherwise as {@link #full()}. */
    public static VerifyOptions incremental() {
        return full().withMode(Mode.INCREMENTAL);
    }

    public VerifyOptions withMode(Mode newMode) {
        return new VerifyOptions(newMode, parallelism, maxFindings, scan, progress, checkpoints, anchorKey);
    }

    public VerifyOptions withParallelism(int threads) {
        return new VerifyOptions(mode, threads, maxFindings, scan, progress, checkpoints, anchorKey);
    }

    public VerifyOptions withMaxFindings(int max) {
        return new VerifyOptions(mode, parallelism, max, scan, progress, checkpoints, anchorKey);
    }

    public VerifyOptions withScan(Scan newScan) {
        return new VerifyOptions(mode, parallelism, maxFindings, newScan, progress, checkpoints, anchorKey);
    }

    public VerifyOptions withProgress(Progress listener) {
        return new VerifyOptions(mode, parallelism, maxFindings, scan, listener, checkpoints, anchorKey);
    }

    /** The same run, also checking the ledger against these signed checkpoints. */
    public VerifyOptions withCheckpoints(CheckpointCheck check) {
        return new VerifyOptions(mode, parallelism, maxFindings, scan, progress, Optional.of(check), anchorKey);
    }

    /** The same run, authenticating recorded runs with {@code key} (see {@link AnchorKey}). */
    public VerifyOptions withAnchorKey(AnchorKey key) {
        return new VerifyOptions(mode, parallelism, maxFindings, scan, progress, checkpoints, Optional.of(key));
    }
}
