package dev.tally.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thing a verification or reconciliation found wrong (or, for a warning, odd).
 *
 * @param seq the chain position it concerns, when it concerns one (its report {@code index} is {@code seq - 1})
 * @param transactionId the entry it concerns; empty when there is none (a deleted row, a balance)
 * @param message one sentence for people, e.g. "Hash chain broken at transaction #456"
 * @param details the forensic fields of the seed's report for this kind of finding, in report order
 *     ({@code corrupted_transaction}, {@code hash_integrity_failure}, {@code previous_transaction}, ...),
 *     as plain values (String, Number, Boolean, List, Map) that any JSON writer can render
 */
public record Finding(
        FindingType type,
        OptionalLong seq,
        Optional<String> transactionId,
        String message,
        Map<String, Object> details) {
    public Finding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(message, "message");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The report {@code index}: the 0-based position {@code seq - 1}, when the finding has a position. */
    public OptionalLong index() {
        return seq.isPresent() ? OptionalLong.of(seq.getAsLong() - 1) : OptionalLong.empty();
    }

    public boolean isError() {
        return type.isError();
    }

    /** The finding as the report lists it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error_type", type.name());
        m.put("severity", type.severity().name());
        m.put("message", message);
        index().ifPresent(i -> m.put("index", i));
        transactionId.ifPresent(id -> m.put("transaction_id", id));
        m.putAll(details);
        m.put("security_recommendation", type.securityRecommendation());
        return Collections.unmodifiableMap(m);
    }
}
