package dev.tally.cli.merkle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.json.Views;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.store.audit.AnchorKeyFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally keygen}: a new Ed25519 key pair for signing checkpoints, in Go's note key texts. The private
 * key file is created readable by its owner only; it is named in the configuration (or given to
 * {@code tally checkpoint --key}) and never stored in the database. The public key file is what auditors
 * get, with the published checkpoints.
 */
@Command(
        name = "keygen",
        sortOptions = false,
        description = {
            "Generate the Ed25519 key pair that signs checkpoints.",
            "Writes DIR/" + SignerKeys.PRIVATE_FILE + " (private, mode 600) and DIR/" + SignerKeys.PUBLIC_FILE
                    + " (public),",
            "and DIR/" + AnchorKeyFile.FILE
                    + " (mode 600), the key that authenticates the anchors of verify --incremental."
        })
public final class KeygenCommand extends OfflineCommand {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            required = true,
            order = 1,
            description = "Where to write the two key files.")
    Path out;

    @Option(
            names = "--name",
            paramLabel = "ORIGIN",
            order = 2,
            description =
                    "The key's name, which is also the origin line of every checkpoint: a unique, URL-like name of this"
                            + " ledger, e.g. ledger.example.com/prod (default: tally.<host name>/ledger).")
    String name;

    @Option(
            names = "--anchor-only",
            order = 3,
            description = "Write only DIR/" + AnchorKeyFile.FILE + ", e.g. beside an existing checkpoint key.")
    boolean anchorOnly;

    @Override
    protected int run() {
        if (anchorOnly) {
            Path anchor = AnchorKeyFile.generate(out);
            if (json()) {
                ObjectNode n = Views.object();
                n.put("anchor_key", anchor.toString());
                printJson(n);
            } else {
                print("Anchor key written: " + anchor + " (owner-only; keep it off the database host's backups)");
            }
            return ExitCodes.OK;
        }
        if (Files.exists(out.resolve(AnchorKeyFile.FILE))) {
            throw CliException.usage("cannot write the keys in " + out + ": " + out.resolve(AnchorKeyFile.FILE)
                    + " exists already; refusing to overwrite it");
        }
        String origin = name != null ? name : "tally." + hostName() + "/ledger";
        SignerKeys.Written keys = SignerKeys.generate(out, origin);
        Path anchor = AnchorKeyFile.generate(out);
        if (json()) {
            ObjectNode n = Views.object();
            n.put("anchor_key", anchor.toString());
            n.put("name", origin);
            n.put("private_key", keys.privateKey().toString());
            n.put("public_key", keys.publicKey().toString());
            n.put("verifier_key", keys.verifierKey());
            printJson(n);
        } else {
            print("Checkpoint key \"" + origin + "\" written:\n"
                    + "  private: " + keys.privateKey() + " (owner-only; keep it off the database host's backups)\n"
                    + "  public:  " + keys.publicKey() + "\n"
                    + "  " + keys.verifierKey() + "\n"
                    + "Anchor key for incremental verification written: " + anchor
                    + " (owner-only; keep it off the database host too)");
        }
        return ExitCodes.OK;
    }

    private static String hostName() {
        try {
            String host = InetAddress.getLocalHost()
                    .getHostName()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9.-]", "-");
            return host.isEmpty() ? "local" : host;
        } catch (UnknownHostException e) {
            return "local";
        }
    }
}
