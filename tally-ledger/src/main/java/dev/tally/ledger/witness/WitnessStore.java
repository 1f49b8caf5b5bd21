package dev.tally.ledger.witness;

import dev.tally.verify.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A witness's own store, in a directory: per log, the newest checkpoint it cosigned
 * ({@code latest/<sha256(origin)>}, replaced atomically: written to a temporary file, fsynced, renamed, the
 * directory fsynced), and every inconsistent checkpoint it was shown ({@code evidence/}, one file each, fsynced).
 * A crash at any point leaves either the old or the new checkpoint, never a torn one. Not thread-safe by
 * itself: {@link Witness} serialises each log's check-and-update.
 */
public final class WitnessStore {
    private final Path latest;
    private final Path evidence;

    public WitnessStore(Path dir) {
        this.latest = dir.resolve("latest");
        this.evidence = dir.resolve("evidence");
        try {
            Files.createDirectories(latest);
            Files.createDirectories(evidence);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the witness store in " + dir, e);
        }
    }

    /** The newest cosigned checkpoint of the log, as a signed note (log signature and cosignature). */
    public Optional<String> latest(String origin) {
        Path file = latest.resolve(originHash(origin));
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaces the log's newest checkpoint, durably, before the witness answers. */
    public void saveLatest(String origin, String note) {
        write(latest.resolve(originHash(origin)), note);
    }

    /** Keeps a validly signed checkpoint that contradicts what the witness cosigned, with why. */
    public void recordEvidence(String origin, String kind, String detail, String request) {
        String name = originHash(origin).substring(0, 16) + "-" + System.currentTimeMillis() + "-" + System.nanoTime()
                + "-" + kind.toLowerCase(java.util.Locale.ROOT);
        write(
                evidence.resolve(name),
                "kind: " + kind + "\norigin: " + origin + "\ndetail: " + detail + "\n\n" + request);
    }

    /** Every piece of evidence recorded, oldest first. */
    public List<String> evidence() {
        try (Stream<Path> files = Files.list(evidence)) {
            List<String> out = new ArrayList<>();
            for (Path p : files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList()) {
                out.add(Files.readString(p, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the evidence in " + evidence, e);
        }
    }

    /** The spec's origin hash: lower-case hex SHA-256 of the origin line. */
    public static String originHash(String origin) {
        return Hashes.toHex(Hashes.sha256(origin.getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(Path file, String text) {
        Path dir = file.getParent();
        try {
            Path tmp = Files.createTempFile(dir, ".tmp-", "");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
