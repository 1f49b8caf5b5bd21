package dev.tally.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Command-line check of a {@link ProofJson} document: {@code ProofCheck FILE [--public-key VKEYFILE]}.
 * Exit status {@link #VALID} 0, {@link #INVALID} 1, {@link #MALFORMED} 2 (also for unreadable files and
 * usage errors). One result line is printed.
 *
 * <p>With a verifier key (Go note "vkey" text), the document must embed a checkpoint signed by that key
 * whose size and root equal the proof's treeSize/root (size2/root2); a key without an embedded checkpoint is
 * INVALID, since the requested signature check cannot pass. Without a key, an embedded checkpoint is still
 * parsed and matched against the proof, but the result says its signature was not verified.
 */
public final class ProofCheck {
    /** The proof (and checkpoint, if checked) verified. */
    public static final int VALID = 0;
    /** Well-formed input that does not verify. */
    public static final int INVALID = 1;
    /** Unreadable, unparseable or misused input. */
    public static final int MALFORMED = 2;

    private static final String USAGE = "usage: ProofCheck FILE [--public-key VKEYFILE]";

    private ProofCheck() {}

    /** Runs the check and exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The CLI without {@code System.exit}: parses arguments, reads files, returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file;
        Optional<String> keyFile = Optional.empty();
        if (args.length == 1 && !args[0].startsWith("--")) {
            file = args[0];
        } else if (args.length == 3 && args[1].equals("--public-key") && !args[0].startsWith("--")) {
            file = args[0];
            keyFile = Optional.of(args[2]);
        } else if (args.length == 3 && args[0].equals("--public-key") && !args[2].startsWith("--")) {
            file = args[2];
            keyFile = Optional.of(args[1]);
        } else {
            err.println(USAGE);
            return MALFORMED;
        }
        String json;
        Optional<String> vkey;
        try {
            json = readUtf8(Path.of(file));
            vkey = keyFile.isPresent() ? Optional.of(readUtf8(Path.of(keyFile.get()))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            out.println("MALFORMED: cannot read input: " + e.getMessage());
            return MALFORMED;
        }
        return check(json, vkey, out);
    }

    /**
     * Checks a proof document (see the class comment for the rules) and prints one line starting with
     * VALID, INVALID or MALFORMED to {@code out}.
     *
     * @param vkey optional Go note verifier key text; surrounding whitespace is ignored
     * @return {@link #VALID}, {@link #INVALID} or {@link #MALFORMED}
     */
    public static int check(String json, Optional<String> vkey, PrintStream out) {
        Objects.requireNonNull(vkey, "vkey");
        ProofDocument doc;
        NoteVerifier verifier = null;
        Checkpoint checkpoint = null;
        try {
            doc = ProofJson.parse(json);
            if (vkey.isPresent()) {
                verifier = NoteVerifier.fromVerifierKey(vkey.get().strip());
            }
            if (doc.checkpoint().isPresent()) {
                checkpoint = Checkpoint.parse(
                        SignedNote.parse(doc.checkpoint().get()).text());
            }
        } catch (ProofException e) {
            out.println("MALFORMED: " + e.getMessage());
            return MALFORMED;
        }
        if (!doc.verify()) {
            out.println("INVALID: " + doc.describe() + ": the proof does not verify");
            return INVALID;
        }
        if (checkpoint == null) {
            if (verifier != null) {
                out.println(
                        "INVALID: " + doc.describe() + ": a public key was given but the document has no checkpoint");
                return INVALID;
            }
            out.println("VALID: " + doc.describe());
            return VALID;
        }
        if (verifier != null) {
            try {
                verifier.open(doc.checkpoint().get());
            } catch (ProofException e) {
                out.println("INVALID: checkpoint: " + e.getMessage());
                return INVALID;
            }
        }
        if (checkpoint.size() != doc.checkpointSize() || !Hashes.same(checkpoint.rootHash(), doc.checkpointRoot())) {
            out.println("INVALID: checkpoint states size " + checkpoint.size() + " root "
                    + Hashes.toHex(checkpoint.rootHash()) + " but the proof is for size " + doc.checkpointSize()
                    + " root " + Hashes.toHex(doc.checkpointRoot()));
            return INVALID;
        }
        out.println("VALID: " + doc.describe() + " of log " + checkpoint.origin()
                + (verifier != null
                        ? ", checkpoint signed by " + verifier.name()
                        : " (checkpoint signature NOT verified: no --public-key)"));
        return VALID;
    }

    private static String readUtf8(Path path) throws IOException {
        if (Files.size(path) > ProofJson.MAX_LENGTH * 4L) {
            throw new IOException(path + " is too large");
        }
        byte[] bytes = Files.readAllBytes(path);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(path + " is not valid UTF-8", e);
        }
    }
}
