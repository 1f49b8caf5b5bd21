package dev.tally.core.audit;

import dev.tally.core.ledger.Hash;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One recorded audit run, for history and alerting. A successful verification's {@code toSeq} and
 * {@code lastHash} are the trusted anchor an incremental run starts from.
 *
 * @param fromSeq the first position covered
 * @param toSeq the last position covered ({@code fromSeq - 1} when there was nothing to cover)
 * @param lastHash the stored {@code current_hash} of the entry at {@code toSeq}, when there is one
 * @param findingsCount how many findings the run made, warnings included
 * @param report the run's full report as JSON text, when it was kept
 * @param anchorMac the run's authentication under an {@link AnchorKey}: only a run that carries one that
 *     verifies may anchor an incremental run
 */
public record VerificationRun(
        UUID id,
        RunKind kind,
        Instant startedAt,
        Instant finishedAt,
        long fromSeq,
        long toSeq,
        Optional<Hash> lastHash,
        boolean valid,
        long findingsCount,
        long durationMs,
        Optional<String> report,
        Optional<AnchorMac> anchorMac) {

    public VerificationRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(lastHash, "lastHash");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(anchorMac, "anchorMac");
    }

    /** A run without an anchor MAC. */
    public VerificationRun(
            UUID id,
            RunKind kind,
            Instant startedAt,
            Instant finishedAt,
            long fromSeq,
            long toSeq,
            Optional<Hash> lastHash,
            boolean valid,
            long findingsCount,
            long durationMs,
            Optional<String> report) {
        this(
                id,
                kind,
                startedAt,
                finishedAt,
                fromSeq,
                toSeq,
                lastHash,
                valid,
                findingsCount,
                durationMs,
                report,
                Optional.empty());
    }

    /** The same run, authenticated under {@code key}. */
    public VerificationRun authenticatedBy(AnchorKey key) {
        return new VerificationRun(
                id,
                kind,
                startedAt,
                finishedAt,
                fromSeq,
                toSeq,
                lastHash,
                valid,
                findingsCount,
                durationMs,
                report,
                Optional.of(key.mac(this)));
    }

    /** The run as {@code tally verify --history} lists it (without the stored report). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id.toString());
        m.put("kind", kind.name());
        m.put("started_at", ChainFindings.iso(startedAt));
        m.put("finished_at", ChainFindings.iso(finishedAt));
        m.put("from_seq", fromSeq);
        m.put("to_seq", toSeq);
        lastHash.ifPresent(h -> m.put("last_hash", h.hex()));
        m.put("valid", valid);
        m.put("findings_count", findingsCount);
        m.put("duration_ms", durationMs);
        anchorMac.ifPresent(a -> m.put("anchor_key_id", a.keyId()));
        return m;
    }
}
