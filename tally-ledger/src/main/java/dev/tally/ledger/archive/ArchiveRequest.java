package dev.tally.ledger.archive;

import dev.tally.verify.NoteSigner;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * What {@code tally archive} asks for.
 *
 * @param before archive the closed months before this one (never the current month, whatever is asked)
 * @param dir the archive directory: one file per month, each holding the ledger up to that month's end
 * @param signer the ledger's checkpoint key, which signs each month's boundary
 * @param witnessSource the published witness file's name, for messages
 * @param witnessNotes its signed checkpoints: each archive is audited against those its entries cover
 */
public record ArchiveRequest(
        YearMonth before, Path dir, NoteSigner signer, String witnessSource, List<String> witnessNotes) {
    public ArchiveRequest {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(signer, "signer");
        witnessNotes = List.copyOf(witnessNotes);
    }
}
