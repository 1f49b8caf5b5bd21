package dev.tally.store.audit;

import dev.tally.core.audit.AnchorKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The anchor key on disk: a file of exactly {@value AnchorKey#LENGTH} random bytes, readable by its owner
 * only, kept outside the database (and off the database host's backups): whoever holds it can make a
 * forged verification run look authentic.
 */
public final class AnchorKeyFile {
    /** The key's file name in a key directory ({@code tally keygen}). */
    public static final String FILE = "anchor.key";
    /** The environment variable naming the key file, for the CLI. */
    public static final String ENV = "TALLY_ANCHOR_KEY_FILE";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AnchorKeyFile() {}

    /**
     * Writes a new random key into {@code dir} as {@value #FILE}, owner-only from the start. Never overwrites one.
     *
     * @throws UncheckedIOException when the file exists or cannot be written
     */
    public static Path generate(Path dir) {
        byte[] key = new byte[AnchorKey.LENGTH];
        new SecureRandom().nextBytes(key);
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            Files.write(file, key);
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException(
                    "cannot write the anchor key " + file + ": a key exists already; refusing to overwrite it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the anchor key " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Reads a key file.
     *
     * @throws IllegalArgumentException when it is not {@value AnchorKey#LENGTH} bytes, or others may read it
     * @throws UncheckedIOException when it cannot be read
     */
    public static AnchorKey load(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE)) {
                    throw new IllegalArgumentException("the anchor key " + file + " is accessible by others (mode "
                            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
                }
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != AnchorKey.LENGTH) {
                throw new IllegalArgumentException(file + " is not an anchor key: it holds " + key.length
                        + " bytes, not " + AnchorKey.LENGTH + " (tally keygen writes one)");
            }
            return new AnchorKey(key);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read the anchor key " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the anchor key " + file + ": " + e.getMessage(), e);
        }
    }
}
