package dev.tally.cli.merkle;

import dev.tally.cli.CliException;
import dev.tally.cli.FileChecks;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.CheckpointVerifier;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.Policy;
import dev.tally.verify.ProofException;
import dev.tally.verify.SignedNote;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code tally verify}'s checkpoint options: check the ledger against signed checkpoints as well
 * ({@code CHECKPOINT_MISMATCH}, {@code TRUNCATED}, {@code BAD_SIGNATURE}). The checkpoints to trust are the
 * published witness file's; without {@code --checkpoints}, those stored in the database are used, which
 * only proves something if the database's checkpoints table was not rewritten along with the entries.
 */
public final class CheckpointOptions {
    @Option(
            names = "--checkpoints",
            paramLabel = "FILE",
            order = 20,
            description = "A witness file of signed checkpoints (tally checkpoint); needs --public-key.")
    Path checkpoints;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            order = 21,
            description =
                    "The log's public key file (tally keygen). Alone, checks the checkpoints stored in the database.")
    Path publicKey;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            order = 22,
            description = "A C2SP tlog-policy: accept only checkpoints that its quorum of witnesses cosigned.")
    Path policy;

    /** Per checkpoint the key verified: its size, the policy's witnesses that cosigned it, whether they met the quorum. */
    private final java.util.List<QuorumLine> quorum = new java.util.ArrayList<>();

    /** One checkpoint's cosigners under {@code --policy}. */
    public record QuorumLine(long size, java.util.List<String> cosigners, boolean met) {}

    /** What {@code --policy} found, after {@link #apply}: empty without a policy. */
    public java.util.List<QuorumLine> quorum() {
        return java.util.List.copyOf(quorum);
    }

    /** The --public-key file. */
    public java.util.Optional<Path> publicKeyFile() {
        return java.util.Optional.ofNullable(publicKey);
    }

    /** The witness file given with --checkpoints. */
    public java.util.Optional<Path> witnessFile() {
        return java.util.Optional.ofNullable(checkpoints);
    }

    /** The policy's quorum name, when one was given. */
    public java.util.Optional<Path> policy() {
        return java.util.Optional.ofNullable(policy);
    }

    /** Refuses options that cannot work together and files that cannot be read (exit 2). */
    public void validate() {
        if (publicKey == null && checkpoints != null) {
            throw CliException.usage("--checkpoints needs --public-key: a checkpoint is only as good as its signature");
        }
        if (publicKey != null) {
            FileChecks.readable(publicKey, "the public key");
        }
        if (checkpoints != null) {
            FileChecks.readable(checkpoints, "the witness file");
        }
        if (policy != null) {
            if (publicKey == null) {
                throw CliException.usage("--policy needs --public-key: the log's own signature comes first");
            }
            FileChecks.readable(policy, "the policy");
        }
    }

    /** The options with the checkpoint check added, when one was asked for. */
    public VerifyOptions apply(VerifyOptions options, Ledger ledger) {
        if (publicKey == null) {
            if (checkpoints != null) {
                throw CliException.usage(
                        "--checkpoints needs --public-key: a checkpoint is only as good as its signature");
            }
            return options;
        }
        NoteVerifier key = SignerKeys.loadVerifier(publicKey);
        java.util.List<String> notes = checkpoints != null
                ? WitnessFile.read(checkpoints)
                : ledger.log().merkleLog().checkpoints().stream()
                        .map(SignedCheckpoint::note)
                        .toList();
        String source = checkpoints != null ? checkpoints.getFileName().toString() : "the database";
        if (policy != null) {
            notes = quorumOnly(key, notes, loadPolicy(policy));
            source += " (only checkpoints meeting the quorum of " + policy.getFileName() + ")";
        }
        return options.withCheckpoints(requireOneVerifies(new CheckpointCheck(key, notes, source)));
    }

    /**
     * The notes whose cosignatures meet the policy's quorum; the others are not accepted. Notes the log key
     * does not verify are left to the checkpoint check, which reports them.
     */
    private java.util.List<String> quorumOnly(NoteVerifier key, java.util.List<String> notes, Policy p) {
        quorum.clear();
        java.util.List<String> accepted = new java.util.ArrayList<>();
        for (String note : notes) {
            long size;
            try {
                size = key.open(note).checkpoint().size();
            } catch (ProofException e) {
                // Not the log's: the checkpoint check reports it as such.
                accepted.add(note);
                continue;
            }
            java.util.Set<String> cosigners;
            try {
                cosigners = p.cosigners(SignedNote.parse(note));
            } catch (ProofException e) {
                // A known witness's line that does not verify: the note is forged, never accepted.
                quorum.add(new QuorumLine(size, java.util.List.of(), false));
                continue;
            }
            boolean met = p.quorumMet(cosigners);
            quorum.add(new QuorumLine(size, cosigners.stream().sorted().toList(), met));
            if (met) {
                accepted.add(note);
            }
        }
        return accepted;
    }

    private static Policy loadPolicy(Path file) {
        try {
            return Policy.parse(java.nio.file.Files.readString(file));
        } catch (java.io.IOException e) {
            throw CliException.usage("cannot read the policy " + file + ": " + e.getMessage());
        } catch (ProofException e) {
            throw CliException.usage("the policy " + file + " is not a tlog-policy: " + e.getMessage());
        }
    }

    /**
     * A check with no checkpoint that the key verifies proves nothing (an empty or foreign witness file would
     * pass even a truncated ledger): it is a failure to verify, exit 2.
     */
    public static CheckpointCheck requireOneVerifies(CheckpointCheck check) {
        if (new CheckpointVerifier(check).verified().isEmpty()) {
            throw CliException.usage(check.noneVerifies());
        }
        return check;
    }
}
