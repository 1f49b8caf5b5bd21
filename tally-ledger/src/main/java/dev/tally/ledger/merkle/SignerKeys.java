package dev.tally.ledger.merkle;

import dev.tally.verify.NoteSigner;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.ProofException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The checkpoint signing key on disk, in the key texts of Go's {@code golang.org/x/mod/sumdb/note}: the
 * private key file holds {@code PRIVATE+KEY+<name>+<key id>+<base64>} and is readable by its owner only
 * (mode 600, as ssh insists for its keys); the public key file holds {@code <name>+<key id>+<base64>}, for
 * anyone who verifies checkpoints. The private key is never stored in the database.
 */
public final class SignerKeys {
    /** The private key's file name in a key directory. */
    public static final String PRIVATE_FILE = "checkpoint.key";
    /** The public key's file name in a key directory. */
    public static final String PUBLIC_FILE = "checkpoint.pub";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SignerKeys() {}

    /**
     * Where a new key pair was written.
     *
     * @param privateKey the signer key file (mode 600)
     * @param publicKey the verifier key file
     * @param verifierKey the public key text, to print
     */
    public record Written(Path privateKey, Path publicKey, String verifierKey) {}

    /**
     * Generates an Ed25519 key pair named {@code name} (the log's origin line) and writes it into
     * {@code dir} as {@value #PRIVATE_FILE} and {@value #PUBLIC_FILE}. Never overwrites a key.
     *
     * @throws IllegalArgumentException for a name that cannot be a key name (empty, spaces, '+')
     * @throws UncheckedIOException when a file exists already or cannot be written
     */
    public static Written generate(Path dir, String name) {
        NoteSigner.KeyPairText pair;
        try {
            pair = NoteSigner.generate(name);
        } catch (ProofException e) {
            throw new IllegalArgumentException(
                    "invalid key name \"" + name + "\": a key name has no spaces and no '+'", e);
        }
        Path privateKey = dir.resolve(PRIVATE_FILE);
        Path publicKey = dir.resolve(PUBLIC_FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(publicKey)) {
                throw new FileAlreadyExistsException(
                        publicKey.toString(), null, "a key exists already; refusing to overwrite it");
            }
            // Created with owner-only permissions from the start: there is no moment when others could read it.
            if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(privateKey);
            }
            Files.writeString(privateKey, pair.signerKey() + "\n", StandardCharsets.UTF_8);
            Files.writeString(publicKey, pair.verifierKey() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key pair in " + dir + ": " + describe(e), e);
        }
        return new Written(privateKey, publicKey, pair.verifierKey());
    }

    /**
     * Reads a private key file. On a POSIX file system it must be readable by its owner only.
     *
     * @throws IllegalArgumentException when the file does not hold a signer key or others may read it
     * @throws UncheckedIOException when it cannot be read
     */
    public static NoteSigner loadSigner(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE)) {
                    throw new IllegalArgumentException("the private key " + file + " is accessible by others (mode "
                            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
                }
            }
            return NoteSigner.fromSignerKey(
                    Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (ProofException e) {
            throw new IllegalArgumentException(file + " does not hold a checkpoint signing key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private key " + file + ": " + describe(e), e);
        }
    }

    /**
     * Reads a public key file (a verifier key text).
     *
     * @throws IllegalArgumentException when the file does not hold a verifier key
     * @throws UncheckedIOException when it cannot be read
     */
    public static NoteVerifier loadVerifier(Path file) {
        try {
            return NoteVerifier.fromVerifierKey(
                    Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (ProofException e) {
            throw new IllegalArgumentException(file + " does not hold a checkpoint public key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public key " + file + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
