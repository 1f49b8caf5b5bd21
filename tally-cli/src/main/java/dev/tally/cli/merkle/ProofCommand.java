package dev.tally.cli.merkle;

import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.ReplicaOptions;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.verify.ConsistencyProof;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.ProofCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally proof}: RFC 9162 proofs as JSON in the field names of transparency-dev/merkle's test data
 * (docs/FORMAT.md), with the signed checkpoint of the tree size when there is one, and {@code proof check},
 * which verifies such a document with no database at all (exit 0 valid, 1 invalid, 2 malformed).
 */
@Command(
        name = "proof",
        description = "Merkle inclusion and consistency proofs, and an offline proof checker.",
        subcommands = {ProofCommand.Inclusion.class, ProofCommand.Consistency.class, ProofCommand.Check.class})
public final class ProofCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a proof command is required (see 'tally proof --help')");
    }

    /** {@code tally proof inclusion TRANSACTION_ID [--size N]}. */
    @Command(
            name = "inclusion",
            description = {
                "Prove that an entry is in the ledger's tree.",
                "Default size: the newest signed checkpoint that contains the entry, else the current size."
            })
    static final class Inclusion extends LedgerCommand {
        @Parameters(paramLabel = "TRANSACTION_ID", description = "The entry's transaction id.")
        String transactionId;

        @Option(names = "--size", paramLabel = "N", description = "The tree size to prove against.")
        Long size;

        @Mixin
        private ReplicaOptions replica = new ReplicaOptions();

        @Override
        protected Optional<ReplicaConfig> replicaConfig() {
            return replica.config();
        }

        @Override
        protected int run(Ledger ledger) {
            ReadView view = readSide(ledger);
            MerkleLog log = view.log().merkleLog();
            long seq = view.reads().findEntry(transactionId).map(e -> e.seq()).orElse(1L);
            InclusionProof proof = log.inclusionProof(transactionId, size != null ? size : log.defaultSize(seq));
            print(proof.toJson());
            return ExitCodes.OK;
        }
    }

    /** {@code tally proof consistency --from N [--to M]}. */
    @Command(
            name = "consistency",
            description = {
                "Prove that the tree of N entries is a prefix of the tree of M entries.",
                "Default --to: the newest signed checkpoint, else the current size."
            })
    static final class Consistency extends LedgerCommand {
        @Option(names = "--from", paramLabel = "N", required = true, description = "The older tree size.")
        long from;

        @Option(names = "--to", paramLabel = "M", description = "The newer tree size.")
        Long to;

        @Mixin
        private ReplicaOptions replica = new ReplicaOptions();

        @Override
        protected Optional<ReplicaConfig> replicaConfig() {
            return replica.config();
        }

        @Override
        protected int run(Ledger ledger) {
            MerkleLog log = readSide(ledger).log().merkleLog();
            ConsistencyProof proof = log.consistencyProof(from, to != null ? to : log.defaultSize(from));
            print(proof.toJson());
            return ExitCodes.OK;
        }
    }

    /** {@code tally proof check FILE [--public-key F]}: {@link ProofCheck}, with its exit codes. */
    @Command(
            name = "check",
            description = {
                "Verify a proof document without any database.",
                "With --public-key, its embedded checkpoint must be signed by that key and state the proof's size and root.",
                "Exit code 0: valid; 1: invalid; 2: malformed or unreadable."
            })
    static final class Check extends OfflineCommand {
        @Parameters(paramLabel = "FILE", description = "The proof JSON (tally proof inclusion/consistency output).")
        Path file;

        @Option(names = "--public-key", paramLabel = "FILE", description = "The log's public key file (tally keygen).")
        Path publicKey;

        @Override
        protected int run() {
            String[] args = publicKey == null
                    ? new String[] {file.toString()}
                    : new String[] {file.toString(), "--public-key", publicKey.toString()};
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try (PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                int code = ProofCheck.run(args, stream, stream);
                String line = captured.toString(StandardCharsets.UTF_8).strip();
                if (code == ProofCheck.VALID) {
                    print(line);
                } else {
                    err().println("tally: " + line);
                    err().flush();
                }
                return code;
            }
        }
    }
}
