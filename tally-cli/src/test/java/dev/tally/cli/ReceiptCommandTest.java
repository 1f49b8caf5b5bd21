package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.testing.StoreKind;
import dev.tally.verify.ReceiptCheck;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally receipt} and {@code tally receipt check}: a receipt verifies offline with the log's key (and a
 * witness quorum with {@code --policy}), shows the entry's fields, and every single-field change is refused.
 */
class ReceiptCommandTest {
    @TempDir
    Path dir;

    private String db;
    private String pub;
    private Path receipt;

    @BeforeEach
    void aLedgerWithACheckpointAndAReceipt() throws Exception {
        db = Cli.newLedger(StoreKind.SQLITE);
        TlogInteropTest.entries(db, 11);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/receipts");
        pub = dir.resolve("checkpoint.pub").toString();
        Cli.json(
                db,
                "checkpoint",
                "--key",
                dir.resolve("checkpoint.key").toString(),
                "--witness",
                dir.resolve("w.txt").toString());
        receipt = dir.resolve("e-6.tlog-proof");
        assertThat(Cli.on(db, "receipt", "e-6", "--out", receipt.toString()).exitCode())
                .isZero();
    }

    @Test
    void aReceiptVerifiesOfflineAndShowsTheEntry() throws Exception {
        assertThat(Files.readString(receipt)).startsWith("c2sp.org/tlog-proof@v1\nextra ");

        Cli.Run check = Cli.run("receipt", "check", receipt.toString(), "--public-key", pub);

        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out())
                .contains("transaction_id: e-6", "amount_gross: 100", "currency: EUR", "VALID: entry #7");
        GoTlog.run("receipt", receipt.toString(), pub).ok();
    }

    @Test
    void everySingleFieldChangeIsRefused() throws Exception {
        String original = Files.readString(receipt);
        List<String> variants = tampered(original);
        assertThat(variants).hasSizeGreaterThan(100);
        String key = Files.readString(Path.of(pub));
        for (String variant : variants) {
            // The checker behind tally receipt check, called directly: a few hundred CLI runs would be slow.
            int code = ReceiptCheck.check(variant, key, Optional.empty(), quiet());

            assertThat(code).as("accepted:\n%s", variant).isIn(1, 2);
        }
    }

    @Test
    void aPolicyQuorumNeedsTheWitnessCosignatureAndRefusesAForgedOne() throws Exception {
        TestCosigner w1 = new TestCosigner("witness.example/w1");
        TestCosigner w2 = new TestCosigner("witness.example/w2");
        Path policy = dir.resolve("policy.txt");
        Files.writeString(
                policy,
                "# two known witnesses, one must cosign\nlog "
                        + Files.readString(Path.of(pub)).strip() + "\nwitness w1 " + w1.verifierKey() + "\nwitness w2 "
                        + w2.verifierKey() + "\ngroup any-w any w1 w2\nquorum any-w\n");
        String original = Files.readString(receipt);

        Cli.Run uncosigned =
                Cli.run("receipt", "check", receipt.toString(), "--public-key", pub, "--policy", policy.toString());
        assertThat(uncosigned.exitCode()).as(uncosigned.err()).isEqualTo(1);
        assertThat(uncosigned.err()).contains("do not meet the policy's quorum any-w");
        int checkpointAt = original.indexOf("\n\n") + 2;
        String cosigned = original.substring(0, checkpointAt) + w1.cosignNote(original.substring(checkpointAt));
        Files.writeString(receipt, cosigned);
        Cli.Run ok =
                Cli.run("receipt", "check", receipt.toString(), "--public-key", pub, "--policy", policy.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("cosigned by [w1]");
        Path w1Key = dir.resolve("w1.pub");
        Files.writeString(w1Key, w1.verifierKey());
        GoTlog.run("receipt", receipt.toString(), pub, w1Key.toString()).ok();

        String lastLine = cosigned.substring(cosigned.lastIndexOf("\u2014 "));
        String sig = lastLine.substring(lastLine.lastIndexOf(' ') + 1).strip();
        byte[] raw = Base64.getDecoder().decode(sig);
        for (int i = 4; i < raw.length; i++) {
            byte[] copy = raw.clone();
            copy[i] ^= 1;
            Files.writeString(receipt, cosigned.replace(sig, Base64.getEncoder().encodeToString(copy)));
            assertThat(Cli.run(
                                    "receipt",
                                    "check",
                                    receipt.toString(),
                                    "--public-key",
                                    pub,
                                    "--policy",
                                    policy.toString())
                            .exitCode())
                    .as("byte %d of the cosignature", i)
                    .isEqualTo(1);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * One variant per field: each byte of the entry (each of its fields), the index, each proof hash, each
     * checkpoint line and the signature, plus a dropped and an added proof line.
     */
    private static List<String> tampered(String original) {
        List<String> out = new ArrayList<>();
        String[] lines = original.split("\n", -1);
        byte[] entry = Base64.getDecoder().decode(lines[1].substring("extra ".length()));
        for (int i = 0; i < entry.length; i++) {
            byte[] copy = entry.clone();
            copy[i] ^= 1;
            out.add(original.replace(lines[1], "extra " + Base64.getEncoder().encodeToString(copy)));
        }
        long index = Long.parseLong(lines[2].substring("index ".length()));
        out.add(original.replace(lines[2] + "\n", "index " + (index + 1) + "\n"));
        out.add(original.replace(lines[2] + "\n", "index " + (index - 1) + "\n"));
        int blank = List.of(lines).indexOf("");
        for (int i = 3; i < blank; i++) {
            byte[] h = Base64.getDecoder().decode(lines[i]);
            h[31] ^= 1;
            out.add(original.replace(lines[i] + "\n", Base64.getEncoder().encodeToString(h) + "\n"));
            out.add(original.replace(lines[i] + "\n", ""));
        }
        out.add(original.replace(lines[blank - 1] + "\n", lines[blank - 1] + "\n" + lines[blank - 1] + "\n"));
        // The checkpoint: origin, size, root, then the log's signature line.
        out.add(original.replace("\nledger.example.com/receipts\n", "\nledger.example.com/receipt\n"));
        String size = lines[blank + 2];
        out.add(original.replace("\n" + size + "\n", "\n" + (Long.parseLong(size) + 1) + "\n"));
        String root = lines[blank + 3];
        byte[] r = Base64.getDecoder().decode(root);
        r[0] ^= 1;
        out.add(original.replace(root, Base64.getEncoder().encodeToString(r)));
        String signature = lines[blank + 5];
        String sig = signature.substring(signature.lastIndexOf(' ') + 1);
        byte[] s = Base64.getDecoder().decode(sig);
        for (int i = 0; i < s.length; i++) {
            byte[] copy = s.clone();
            copy[i] ^= 1;
            out.add(original.replace(sig, Base64.getEncoder().encodeToString(copy)));
        }
        out.add(original.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"));
        return out;
    }
}
