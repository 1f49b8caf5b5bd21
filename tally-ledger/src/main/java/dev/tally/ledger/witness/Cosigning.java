package dev.tally.ledger.witness;

import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.verify.CosignatureVerifier;
import dev.tally.verify.Hashes;
import dev.tally.verify.ProofException;
import dev.tally.verify.SignedNote;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally as a log asking witnesses to cosign (C2SP tlog-witness): for the newest checkpoint, each configured
 * witness whose cosignature it lacks gets an {@code add-checkpoint} with the size that witness last cosigned
 * and the consistency proof from it; a 409 teaches the witness's size and the request is sent again once. A
 * returned line that verifies with the witness's key is stored on the checkpoint's note, which the tiles'
 * {@code checkpoint} and receipts then carry. Runs beside the ledger: a witness that is down or slow costs
 * a logged warning and a retry later, never a write. Thread-safe.
 */
public final class Cosigning {
    /** One witness the log asks: its name, the URL prefix of its add-checkpoint, and its cosigner key. */
    public record Endpoint(String name, URI url, CosignatureVerifier key) {}

    /** What one request came to, per witness. */
    public enum Outcome {
        COSIGNED,
        ALREADY,
        REFUSED,
        UNREACHABLE
    }

    private static final Logger LOG = LoggerFactory.getLogger(Cosigning.class);

    private final MerkleLog log;
    private final List<Endpoint> witnesses;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Long> knownSizes = new ConcurrentHashMap<>();

    public Cosigning(MerkleLog log, List<Endpoint> witnesses, Duration timeout) {
        this.log = log;
        this.witnesses = List.copyOf(witnesses);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Asks every witness that has not cosigned the newest checkpoint; returns what each answered. */
    public synchronized Map<String, Outcome> cosignLatest() {
        Map<String, Outcome> outcomes = new java.util.LinkedHashMap<>();
        for (Endpoint w : witnesses) {
            SignedCheckpoint c = log.latestCheckpoint().orElse(null);
            if (c == null) {
                return outcomes;
            }
            outcomes.put(w.name(), ask(w, c));
        }
        return outcomes;
    }

    private Outcome ask(Endpoint w, SignedCheckpoint c) {
        SignedNote note = SignedNote.parse(c.note());
        if (note.signatures().stream().anyMatch(s -> w.key().names(s))) {
            return Outcome.ALREADY;
        }
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                long old = Math.min(knownSizes.getOrDefault(w.name(), 0L), c.size());
                HttpResponse<String> r = http.send(request(w, c, old), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 409) {
                    long size = Long.parseLong(r.body().strip());
                    if (size > c.size()) {
                        LOG.warn("witness {} has cosigned size {}, beyond this log's {}", w.name(), size, c.size());
                        return Outcome.REFUSED;
                    }
                    knownSizes.put(w.name(), size);
                    continue;
                }
                if (r.statusCode() != 200) {
                    LOG.warn(
                            "witness {} refused the checkpoint of size {}: {} {}",
                            w.name(),
                            c.size(),
                            r.statusCode(),
                            r.body().strip());
                    return Outcome.REFUSED;
                }
                return store(w, c, note, r.body());
            }
            return Outcome.REFUSED;
        } catch (IOException | RuntimeException e) {
            LOG.warn("witness {} is unreachable: {}", w.name(), e.toString());
            return Outcome.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.UNREACHABLE;
        }
    }

    private HttpRequest request(Endpoint w, SignedCheckpoint c, long old) {
        StringBuilder body = new StringBuilder("old ").append(old).append('\n');
        if (old > 0 && old < c.size()) {
            for (byte[] h : log.consistencyProof(old, c.size()).proof()) {
                body.append(Hashes.toBase64(h)).append('\n');
            }
        }
        body.append('\n').append(c.note());
        String base = w.url().toString();
        return HttpRequest.newBuilder(URI.create((base.endsWith("/") ? base : base + "/") + "add-checkpoint"))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    /** Keeps the answer's lines that are this witness's valid cosignatures of {@code c}. */
    private Outcome store(Endpoint w, SignedCheckpoint c, SignedNote note, String answer) {
        List<SignedNote.Signature> lines = new ArrayList<>(note.signatures());
        boolean any = false;
        try {
            SignedNote returned = SignedNote.parse(note.text() + "\n" + answer);
            for (SignedNote.Signature s : returned.signatures()) {
                if (w.key().verify(note.text(), s).isPresent()) {
                    lines.add(s);
                    any = true;
                }
            }
        } catch (ProofException e) {
            LOG.warn("witness {} answered with no valid signature lines: {}", w.name(), e.getMessage());
        }
        if (!any) {
            return Outcome.REFUSED;
        }
        knownSizes.put(w.name(), c.size());
        log.addSignatures(c, new SignedNote(note.text(), lines).format());
        return Outcome.COSIGNED;
    }
}
