package dev.tally.ledger.merkle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The witness file: every checkpoint the ledger signed, appended in order, outside the database. Copying
 * it somewhere the database's administrators cannot write is how an operator publishes checkpoints; a
 * verifier holding a copy detects rewritten or truncated history (docs/FORMAT.md, "Witness file").
 *
 * <p>The file is plain text: the signed notes (c2sp.org/signed-note, each ending in a newline) separated
 * by one blank line. A note's checkpoint text has no blank line (c2sp.org/tlog-checkpoint lines are
 * non-empty), so the file splits unambiguously into paragraphs that pair up as text and signatures.
 * Appends are durable ({@code fsync} of the file, and of its directory when the file is new) and take an
 * exclusive lock, so concurrent writers never interleave.
 */
public final class WitnessFile {
    private WitnessFile() {}

    /**
     * Appends a signed note, durably.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void append(Path file, String note) {
        if (!note.endsWith("\n")) {
            throw new IllegalArgumentException("a signed note ends with a newline");
        }
        boolean created = !Files.exists(file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (created && parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                FileLock lock = ch.lock();
                try {
                    String text = ch.size() > 0 ? "\n" + note : note;
                    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                    ch.force(true);
                } finally {
                    lock.release();
                }
            }
            if (created && parent != null) {
                syncDirectory(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot append the checkpoint to the witness file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The signed notes in a witness file, in order, unverified. A trailing paragraph without its signature
     * (an append cut short) comes back as an incomplete note, which fails verification.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<String> read(Path file) {
        try {
            return split(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The signed notes in a witness file's text (see {@link #read}). */
    public static List<String> split(String text) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(line).append('\n');
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current.toString());
        }
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < paragraphs.size(); i += 2) {
            notes.add(i + 1 < paragraphs.size() ? paragraphs.get(i) + "\n" + paragraphs.get(i + 1) : paragraphs.get(i));
        }
        return notes;
    }

    /** Makes a new directory entry durable (Linux and macOS allow fsync on a directory). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms (Windows) cannot open a directory; the file's own fsync still happened.
        }
    }
}
