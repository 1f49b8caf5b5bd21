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
        CheckpointCheck check = checkpoints != null
                ? new CheckpointCheck(
                        key,
                        WitnessFile.read(checkpoints),
                        checkpoints.getFileName().toString())
                : new CheckpointCheck(
                        key,
                        ledger.log().merkleLog().checkpoints().stream()
                                .map(SignedCheckpoint::note)
                                .toList(),
                        "the database");
        return options.withCheckpoints(requireOneVerifies(check));
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
