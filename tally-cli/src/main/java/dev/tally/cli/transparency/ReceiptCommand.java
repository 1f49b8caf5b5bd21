package dev.tally.cli.transparency;

import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.merkle.OfflineCommand;
import dev.tally.ledger.Ledger;
import dev.tally.verify.Receipt;
import dev.tally.verify.ReceiptCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally receipt ID}: the transaction's receipt, a C2SP tlog-proof carrying the entry (docs/FORMAT.md
 * §10); {@code tally receipt check FILE --public-key K [--policy P]} verifies one with no database.
 */
@Command(
        name = "receipt",
        description = {
            "Print the offline-verifiable receipt of a transaction (a C2SP tlog-proof with the entry),",
            "against the newest signed checkpoint; or check one with 'tally receipt check'."
        },
        subcommands = {ReceiptCommand.Check.class})
public final class ReceiptCommand extends LedgerCommand {
    @Parameters(paramLabel = "TRANSACTION_ID", arity = "0..1", description = "The entry's transaction id.")
    @org.jspecify.annotations.Nullable
    String transactionId;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the receipt to FILE (.tlog-proof) instead.")
    Path out;

    @Override
    protected int run(Ledger ledger) throws Exception {
        String transactionId = this.transactionId;
        if (transactionId == null) {
            throw new CliException(ExitCodes.USAGE, "a TRANSACTION_ID is required (see 'tally receipt --help')");
        }
        Receipt receipt = ledger.log()
                .merkleLog()
                .receipt(transactionId)
                .orElseThrow(() -> new CliException(
                        ExitCodes.USAGE,
                        "no signed checkpoint covers " + transactionId + " yet: run tally checkpoint first"));
        if (out != null) {
            Files.writeString(out, receipt.format());
            print("Receipt of " + transactionId + " written to " + out);
        } else {
            spec.commandLine().getOut().print(receipt.format());
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    /** {@code tally receipt check FILE --public-key K [--policy P]}. */
    @Command(
            name = "check",
            description = {
                "Verify a receipt with no database: the entry it carries, its inclusion proof, the log's",
                "signature on the checkpoint and, with --policy, a quorum of witness cosignatures (C2SP tlog-policy).",
                "Prints the entry's fields. Exit code 0: valid; 1: invalid; 2: malformed or unreadable."
            })
    static final class Check extends OfflineCommand {
        @Parameters(paramLabel = "FILE", description = "The receipt (tally receipt output).")
        Path file;

        @Option(
                names = "--public-key",
                paramLabel = "FILE",
                required = true,
                description = "The log's public key file (tally keygen).")
        Path publicKey;

        @Option(names = "--policy", paramLabel = "FILE", description = "A C2SP tlog-policy file: the witness quorum.")
        Path policy;

        @Override
        protected int run() {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            try (PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                int code = ReceiptCheck.check(file, publicKey, Optional.ofNullable(policy), stream);
                String text = captured.toString(StandardCharsets.UTF_8).strip();
                if (code == 0) {
                    print(text);
                } else {
                    err().println("tally: " + dev.tally.core.text.SafeText.escape(text));
                    err().flush();
                }
                return code;
            }
        }
    }
}
