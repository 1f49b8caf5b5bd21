package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A receipt: a C2SP tlog-proof ({@code c2sp.org/tlog-proof@v1}) for one ledger entry, whose {@code extra}
 * line is the entry's canonical encoding (docs/FORMAT.md §1 and §10). The holder recomputes the leaf from
 * it ({@code SHA-256(0x00 ‖ SHA-256(extra))}), reads the amount, parties and time from it, and checks the
 * inclusion proof against the log-signed (and witness-cosigned) checkpoint, all offline.
 *
 * @param entry the canonical encoding from the {@code extra} line
 * @param index the zero-based leaf index
 * @param proof the inclusion proof, leaf side first
 * @param checkpoint the signed note of the checkpoint, verbatim
 */
public record Receipt(byte[] entry, long index, List<byte[]> proof, String checkpoint) {
    /** The first line of every tlog-proof. */
    public static final String HEADER = "c2sp.org/tlog-proof@v1";

    private static final Pattern INDEX = Pattern.compile("index (0|[1-9][0-9]{0,18})");
    private static final int MAX_PROOF = 63;

    public Receipt {
        entry = entry.clone();
        proof = proof.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    @Override
    public List<byte[]> proof() {
        return proof.stream().map(byte[]::clone).toList();
    }

    /** The receipt as tlog-proof text. */
    public String format() {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append("extra ").append(Hashes.toBase64(entry)).append('\n');
        s.append("index ").append(index).append('\n');
        for (byte[] h : proof) {
            s.append(Hashes.toBase64(h)).append('\n');
        }
        return s.append('\n').append(checkpoint).toString();
    }

    /**
     * Parses tlog-proof text strictly: Tally's receipts always carry the {@code extra} line.
     *
     * @throws ProofException MALFORMED for anything else
     */
    public static Receipt parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 5 || !lines[0].equals(HEADER)) {
            throw ProofException.malformed("not a %s proof", HEADER);
        }
        if (!lines[1].startsWith("extra ")) {
            throw ProofException.malformed("a Tally receipt carries the entry on an extra line");
        }
        byte[] entry = Hashes.fromBase64(lines[1].substring("extra ".length()));
        if (!INDEX.matcher(lines[2]).matches()) {
            throw ProofException.malformed("the third line must be index <n>");
        }
        long index;
        try {
            index = Long.parseLong(lines[2].substring("index ".length()));
        } catch (NumberFormatException e) {
            throw ProofException.malformed("the index is too large");
        }
        List<byte[]> proof = new ArrayList<>();
        int i = 3;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            byte[] h = Hashes.fromBase64(lines[i]);
            if (h.length != Hashes.SIZE || proof.size() == MAX_PROOF) {
                throw ProofException.malformed("proof line %d is not a 32-byte hash, or there are too many", i + 1);
            }
            proof.add(h);
        }
        if (i >= lines.length - 1) {
            throw ProofException.malformed("no empty line and checkpoint after the proof");
        }
        String note = String.join("\n", java.util.Arrays.asList(lines).subList(i + 1, lines.length));
        SignedNote.parse(note);
        return new Receipt(entry, index, proof, note);
    }

    /** What a valid receipt proves. */
    public record Verified(EntryRecord entry, Checkpoint checkpoint, Set<String> cosigners) {}

    /**
     * Verifies the receipt with the log's key and, when given, a tlog-policy's witness quorum.
     *
     * @throws ProofException MALFORMED when the entry or checkpoint cannot be read, BAD_SIGNATURE when a
     *     signature fails, OUT_OF_RANGE when the receipt proves nothing (see its message)
     */
    public Verified verify(NoteVerifier log, Optional<Policy> policy) {
        EntryRecord record = EntryRecord.decode(entry);
        if (record.seq() != index + 1) {
            throw invalid("the entry is #%d but the receipt proves leaf %d", record.seq(), index);
        }
        Checkpoint c = log.open(checkpoint).checkpoint();
        if (!c.origin().equals(log.name())) {
            throw ProofException.badSignature("the checkpoint's origin %s is not the log %s", c.origin(), log.name());
        }
        Set<String> cosigners = Set.of();
        if (policy.isPresent()) {
            Policy p = policy.get();
            if (!p.logs().isEmpty()
                    && p.logs().stream().noneMatch(l -> l.verifierKey().equals(log.verifierKey()))) {
                throw ProofException.badSignature("the policy does not accept the log %s", log.name());
            }
            cosigners = p.cosigners(SignedNote.parse(checkpoint));
            if (!p.quorumMet(cosigners)) {
                throw ProofException.badSignature(
                        "the checkpoint's cosigners %s do not meet the policy's quorum %s",
                        cosigners.stream().sorted().toList(), p.quorum());
            }
        }
        if (index >= c.size()
                || !Proofs.verifyInclusion(
                        index, c.size(), Hashes.leafHash(record.currentHash()), proof, c.rootHash())) {
            throw invalid("the inclusion proof of leaf %d does not lead to the checkpoint's root", index);
        }
        return new Verified(record, c, cosigners);
    }

    private static ProofException invalid(String format, Object... args) {
        return new ProofException(ProofException.Reason.OUT_OF_RANGE, String.format(format, args));
    }
}
