package dev.tally.cli.merkle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.LedgerCommand;
import dev.tally.core.audit.ChainFindings;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteSigner;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally checkpoint}: signs the ledger's current tree size and root now, stores the checkpoint and
 * appends it to the witness file, after any stored checkpoint the file lacks. Refuses (exit 2) when the stored
 * tree does not extend the last checkpoint, or the key is not the ledger's (unless {@code --rotate-key}).
 */
@Command(
        name = "checkpoint",
        sortOptions = false,
        description = {
            "Sign a checkpoint of the ledger now (C2SP tlog-checkpoint in a signed note),",
            "store it, and append it to the witness file that you publish."
        })
public final class CheckpointCommand extends LedgerCommand {
    @Option(
            names = "--key",
            paramLabel = "FILE",
            required = true,
            order = 1,
            description = "The private key file (tally keygen).")
    Path key;

    @Option(
            names = "--witness",
            paramLabel = "FILE",
            required = true,
            order = 2,
            description = "The witness file the checkpoint is appended to (created if needed); publish a copy of it.")
    Path witness;

    @Option(
            names = "--rotate-key",
            order = 3,
            description =
                    "Put this key in use although the ledger's checkpoints were signed with another (recorded in the database);"
                            + " without it, a key other than the ledger's is refused.")
    boolean rotateKey;

    @Override
    protected void validate() {
        FileChecks.readable(key, "the private key");
        FileChecks.writable(witness, "the witness file");
    }

    @Override
    protected int run(Ledger ledger) {
        NoteSigner signer = SignerKeys.loadSigner(key);
        SignedCheckpoint c = ledger.log().checkpoint(signer, Optional.of(witness), rotateKey);
        if (json()) {
            printJson(view(c, witness));
        } else {
            print("Checkpoint of " + c.size() + " entries signed by " + signer.name() + ", root "
                    + Hashes.toHex(c.checkpoint().rootHash()) + "\nappended to " + witness + ":\n\n"
                    + c.note().stripTrailing());
        }
        return ExitCodes.OK;
    }

    /** A checkpoint as JSON: size, root (hex and base64), origin, the signed note, when it was taken. */
    static ObjectNode view(SignedCheckpoint c, Path witness) {
        ObjectNode n = Views.object();
        n.put("origin", c.checkpoint().origin());
        n.put("tree_size", c.size());
        n.put("root_hash", Hashes.toHex(c.checkpoint().rootHash()));
        n.put("root_base64", Hashes.toBase64(c.checkpoint().rootHash()));
        n.put("created_at", ChainFindings.iso(c.createdAt()));
        n.put("note", c.note());
        if (witness != null) {
            n.put("witness", witness.toString());
        }
        return n;
    }
}
