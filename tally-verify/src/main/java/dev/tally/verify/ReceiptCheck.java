package dev.tally.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The offline receipt checker behind {@code tally receipt check}: {@code ReceiptCheck FILE --public-key K
 * [--policy P]}. Prints the entry's fields and one line starting with VALID, INVALID or MALFORMED; exit
 * {@link ProofCheck#VALID} 0, {@link ProofCheck#INVALID} 1, {@link ProofCheck#MALFORMED} 2.
 */
public final class ReceiptCheck {
    private ReceiptCheck() {}

    /** Checks the files; unreadable files are MALFORMED. */
    public static int check(Path receipt, Path publicKey, Optional<Path> policy, PrintStream out) {
        String text;
        String key;
        Optional<String> policyText;
        try {
            text = read(receipt);
            key = read(publicKey);
            policyText = policy.isPresent() ? Optional.of(read(policy.get())) : Optional.empty();
        } catch (IOException e) {
            out.println("MALFORMED: cannot read input: " + e.getMessage());
            return ProofCheck.MALFORMED;
        }
        return check(text, key, policyText, out);
    }

    /** Checks receipt text against a log key and an optional tlog-policy. */
    public static int check(String text, String publicKey, Optional<String> policyText, PrintStream out) {
        Receipt receipt;
        NoteVerifier log;
        Optional<Policy> policy;
        try {
            receipt = Receipt.parse(text);
            log = NoteVerifier.fromVerifierKey(publicKey.strip());
            policy = policyText.map(Policy::parse);
        } catch (ProofException e) {
            out.println("MALFORMED: " + e.getMessage());
            return ProofCheck.MALFORMED;
        }
        try {
            Receipt.Verified v = receipt.verify(log, policy);
            for (Map.Entry<String, String> f : v.entry().fields().entrySet()) {
                out.println(f.getKey() + ": " + f.getValue());
            }
            out.println("VALID: entry #" + v.entry().seq() + " ("
                    + v.entry().fields().get("transaction_id")
                    + ") is in the log " + v.checkpoint().origin() + " of "
                    + v.checkpoint().size()
                    + " entries, signed by " + log.name()
                    + (policy.isPresent()
                            ? ", cosigned by " + v.cosigners().stream().sorted().toList() + " (quorum "
                                    + policy.get().quorum() + " met)"
                            : " (witness cosignatures not checked: no --policy)"));
            return ProofCheck.VALID;
        } catch (ProofException e) {
            boolean malformed = e.reason() == ProofException.Reason.MALFORMED;
            out.println((malformed ? "MALFORMED: " : "INVALID: ") + e.getMessage());
            return malformed ? ProofCheck.MALFORMED : ProofCheck.INVALID;
        }
    }

    private static String read(Path p) throws IOException {
        if (Files.size(p) > 1 << 20) {
            throw new IOException(p + " is too large");
        }
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
