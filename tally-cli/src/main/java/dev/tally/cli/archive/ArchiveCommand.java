package dev.tally.cli.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.LedgerCommand;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.archive.ArchiveReport;
import dev.tally.ledger.archive.ArchiveRequest;
import dev.tally.ledger.archive.ArchiveStep;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally archive}: moves the closed months before {@code --before} out of a PostgreSQL ledger. Each month is
 * written to an archive file (the export format, the ledger up to the month's end, with a checkpoint of exactly
 * that size signed by {@code --key}), the file is audited, and only then is the month's partition dropped. Re-run
 * after any failure: it resumes from the first month still live.
 */
@Command(
        name = "archive",
        sortOptions = false,
        description = {
            "Archive closed months (PostgreSQL): each to an audited file in DIR, then its partition is dropped.",
            "The current month and a month with an open pending transfer stay live. Re-run to resume."
        })
public final class ArchiveCommand extends LedgerCommand {
    @Option(
            names = "--before",
            paramLabel = "YYYY-MM",
            required = true,
            order = 1,
            description = "Archive the closed months before this one.")
    String before;

    @Option(names = "--out", paramLabel = "DIR", required = true, order = 2, description = "The archive directory.")
    Path out;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            required = true,
            order = 3,
            description = "The ledger's checkpoint private key (tally keygen): signs each month's boundary.")
    Path key;

    @Option(
            names = "--witness",
            paramLabel = "FILE",
            required = true,
            order = 4,
            description = "The published witness file (tally checkpoint): each archive is audited against it.")
    Path witness;

    @Override
    protected void validate() {
        month();
        FileChecks.readable(key, "the checkpoint key");
        if (Files.exists(witness)) {
            FileChecks.readable(witness, "the witness file");
        }
    }

    private YearMonth month() {
        try {
            return YearMonth.parse(before);
        } catch (DateTimeParseException e) {
            throw CliException.usage("--before must be a month as YYYY-MM, not " + before);
        }
    }

    @Override
    protected int run(Ledger ledger) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the archive directory " + out + ": " + e.getMessage(), e);
        }
        List<String> notes = Files.exists(witness) ? WitnessFile.read(witness) : List.of();
        ArchiveRequest request = new ArchiveRequest(
                month(), out, SignerKeys.loadSigner(key), witness.getFileName().toString(), notes);
        ArchiveReport report = ledger.audit().archive(request, ArchiveStep.Hook.NONE);
        if (json()) {
            ObjectNode n = Views.object();
            ArrayNode months = n.putArray("archived");
            report.archived().forEach(m -> months.add(json(m)));
            report.boundary().ifPresent(b -> n.put("archived_through_seq", b.lastSeq()));
            report.stoppedAt()
                    .ifPresent(s -> n.putObject("stopped_at")
                            .put("month", s.month().toString())
                            .put("reason", s.reason()));
            printJson(n);
        } else {
            StringBuilder text = new StringBuilder();
            for (ArchivedMonth m : report.archived()) {
                text.append(String.format(
                        Locale.ROOT,
                        "Archived %s: entries #%d to #%d (%,d) to %s, SHA-256 %s; partition %s dropped%n",
                        m.month(),
                        m.firstSeq(),
                        m.lastSeq(),
                        m.entries(),
                        out.resolve(m.fileName()),
                        HexFormat.of().formatHex(m.sha256()),
                        m.partition()));
            }
            if (report.archived().isEmpty()) {
                text.append("No closed month before ").append(month()).append(" to archive\n");
            }
            report.stoppedAt()
                    .ifPresent(s -> text.append("Stopped at ")
                            .append(s.month())
                            .append(": ")
                            .append(s.reason())
                            .append('\n'));
            report.boundary()
                    .ifPresent(b -> text.append("The live ledger starts after entry #")
                            .append(b.lastSeq())
                            .append(" (archived through ")
                            .append(b.month())
                            .append(')'));
            print(text.toString().stripTrailing());
        }
        return ExitCodes.OK;
    }

    static ObjectNode json(ArchivedMonth m) {
        ObjectNode n = Views.object();
        n.put("month", m.month().toString());
        n.put("first_seq", m.firstSeq());
        n.put("last_seq", m.lastSeq());
        n.put("last_hash", m.lastHash().hex());
        n.put("file", m.fileName());
        n.put("sha256", HexFormat.of().formatHex(m.sha256()));
        n.put("bytes", m.fileBytes());
        n.put("partition", m.partition());
        return n;
    }
}
