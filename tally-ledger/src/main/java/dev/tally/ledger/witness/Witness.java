package dev.tally.ledger.witness;

import dev.tally.verify.Checkpoint;
import dev.tally.verify.CosignatureSigner;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.ProofException;
import dev.tally.verify.Proofs;
import dev.tally.verify.SignedNote;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A C2SP tlog-witness: {@code add-checkpoint} verifies the log's signature and the consistency proof from
 * the size it last cosigned, persists the new checkpoint and only then answers with its cosignature; a
 * mismatched old size is 409 with the size it knows. Each log's check-and-update runs under that log's lock,
 * so two requests can never roll it back. A validly signed checkpoint that contradicts what it cosigned (a
 * fork, a failed consistency proof, a smaller size) is kept as evidence. Thread-safe.
 */
public final class Witness {
    /** One HTTP answer. */
    public record Answer(int status, String contentType, String body) {}

    private static final Pattern OLD = Pattern.compile("old (0|[1-9][0-9]{0,18})");
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Map<String, NoteVerifier> logs;
    private final CosignatureSigner signer;
    private final WitnessStore store;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** A witness of {@code logs} (by origin: the key's name), cosigning with {@code signer}. */
    public Witness(List<NoteVerifier> logs, CosignatureSigner signer, WitnessStore store, Clock clock) {
        Map<String, NoteVerifier> byOrigin = new java.util.HashMap<>();
        for (NoteVerifier v : logs) {
            byOrigin.put(v.name(), v);
        }
        this.logs = Map.copyOf(byOrigin);
        this.signer = signer;
        this.store = store;
        this.clock = clock;
    }

    public WitnessStore store() {
        return store;
    }

    /** {@code GET <prefix>/<origin hash>/checkpoint}: the newest cosigned checkpoint, or 404. */
    public Answer checkpoint(String originHash) {
        for (String origin : logs.keySet()) {
            if (WitnessStore.originHash(origin).equals(originHash)) {
                Optional<String> note = store.latest(origin);
                if (note.isPresent()) {
                    return new Answer(200, TEXT, note.get());
                }
            }
        }
        return new Answer(404, TEXT, "no checkpoint cosigned for that log\n");
    }

    /** {@code POST <prefix>/add-checkpoint}. */
    public Answer addCheckpoint(String body) {
        int blank = body.indexOf("\n\n");
        if (blank < 0) {
            return new Answer(400, TEXT, "the body must be the old size, the proof, an empty line and a checkpoint\n");
        }
        String[] head = body.substring(0, blank).split("\n", -1);
        if (!OLD.matcher(head[0]).matches() || head.length - 1 > 63) {
            return new Answer(400, TEXT, "the first line must be old <size>, with at most 63 proof lines\n");
        }
        long old;
        List<byte[]> proof = new ArrayList<>();
        SignedNote note;
        Checkpoint c;
        try {
            old = Long.parseLong(head[0].substring(4));
            for (int i = 1; i < head.length; i++) {
                byte[] h = Hashes.fromBase64(head[i]);
                if (h.length != Hashes.SIZE) {
                    return new Answer(400, TEXT, "a proof line is not a 32-byte hash\n");
                }
                proof.add(h);
            }
            note = SignedNote.parse(body.substring(blank + 2));
            c = Checkpoint.parse(note.text());
        } catch (ProofException | NumberFormatException e) {
            return new Answer(400, TEXT, "malformed request: " + e.getMessage() + "\n");
        }
        NoteVerifier log = logs.get(c.origin());
        if (log == null) {
            return new Answer(404, TEXT, "unknown log " + c.origin() + "\n");
        }
        try {
            log.open(note.format());
        } catch (ProofException e) {
            return new Answer(403, TEXT, "the checkpoint is not signed by the log's key: " + e.getMessage() + "\n");
        }
        if (old > c.size()) {
            return new Answer(400, TEXT, "the old size is larger than the checkpoint's\n");
        }
        synchronized (locks.computeIfAbsent(c.origin(), k -> new Object())) {
            return update(c, note, old, proof, body);
        }
    }

    private Answer update(Checkpoint c, SignedNote note, long old, List<byte[]> proof, String request) {
        Optional<Checkpoint> latest = store.latest(c.origin())
                .map(n -> Checkpoint.parse(SignedNote.parse(n).text()));
        long known = latest.map(Checkpoint::size).orElse(0L);
        if (latest.isPresent()
                && c.size() == known
                && !Arrays.equals(c.rootHash(), latest.get().rootHash())) {
            store.recordEvidence(c.origin(), "FORK", "two roots signed for size " + known, request);
        } else if (c.size() < known) {
            store.recordEvidence(
                    c.origin(),
                    "ROLLBACK",
                    "size " + c.size() + " signed after size " + known + " was cosigned",
                    request);
        }
        if (old != known) {
            return new Answer(409, "text/x.tlog.size", known + "\n");
        }
        if (c.size() == 0 && !Arrays.equals(c.rootHash(), Hashes.emptyRoot())) {
            return new Answer(422, TEXT, "a checkpoint of size 0 must have the empty tree's root\n");
        }
        if (old == 0 && !proof.isEmpty()) {
            return new Answer(422, TEXT, "no consistency proof is needed from size 0\n");
        }
        byte[] oldRoot = latest.map(Checkpoint::rootHash).orElse(Hashes.emptyRoot());
        if (old == c.size() && !Arrays.equals(oldRoot, c.rootHash())) {
            return new Answer(422, TEXT, "the root differs from the one cosigned for this size\n");
        }
        if (old > 0 && old < c.size() && !Proofs.verifyConsistency(old, c.size(), oldRoot, c.rootHash(), proof)) {
            store.recordEvidence(
                    c.origin(),
                    "INCONSISTENT",
                    "no valid consistency proof from size " + old + " to " + c.size(),
                    request);
            return new Answer(422, TEXT, "the consistency proof does not verify\n");
        }
        long now = Math.max(1, clock.instant().getEpochSecond());
        String line = signer.cosign(note.text(), now);
        // The stored note keeps the log's signature (and any other) beside this witness's cosignature.
        store.saveLatest(c.origin(), withoutOwnLines(note) + line);
        return new Answer(200, TEXT, line);
    }

    private String withoutOwnLines(SignedNote note) {
        List<SignedNote.Signature> kept = note.signatures().stream()
                .filter(s -> !signer.verifier().names(s))
                .toList();
        return new SignedNote(note.text(), kept).format();
    }
}
