package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally verify --checkpoints FILE --policy POLICY}: only checkpoints a witness quorum cosigned count. */
class VerifyPolicyTest {
    @TempDir
    Path dir;

    @Test
    void onlyCheckpointsThatMeetTheQuorumAreAcceptedAndTheReportNamesTheSigners() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        TlogInteropTest.entries(db, 4);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/policy");
        String key = dir.resolve("checkpoint.key").toString();
        String pub = dir.resolve("checkpoint.pub").toString();
        String witnessFile = dir.resolve("w.txt").toString();
        String first = Cli.json(db, "checkpoint", "--key", key, "--witness", witnessFile)
                .get("note")
                .asText();
        TlogInteropTest.entries(db, 2);
        String second = Cli.json(db, "checkpoint", "--key", key, "--witness", witnessFile)
                .get("note")
                .asText();
        TestCosigner w1 = new TestCosigner("witness.example/w1");
        TestCosigner w2 = new TestCosigner("witness.example/w2");
        Path cosigned = dir.resolve("cosigned.txt");
        Files.writeString(cosigned, w2.cosignNote(w1.cosignNote(first)) + "\n" + w1.cosignNote(second));
        Path anyOne = policy("any", w1, w2);
        Path both = policy("all", w1, w2);

        Cli.Run any = Cli.on(
                db, "verify", "--checkpoints", cosigned.toString(), "--public-key", pub, "--policy", anyOne.toString());
        Cli.Run all = Cli.on(
                db,
                "verify",
                "--checkpoints",
                cosigned.toString(),
                "--public-key",
                pub,
                "--policy",
                both.toString(),
                "--json");

        assertThat(any.exitCode()).as(any.err()).isZero();
        assertThat(any.out())
                .contains("checkpoint of 4 entries cosigned by w1, w2: quorum met")
                .contains("checkpoint of 6 entries cosigned by w1: quorum met");
        assertThat(all.exitCode()).as(all.err()).isZero();
        JsonNode quorum = all.json().get("witness_quorum");
        assertThat(quorum.get(0).get("quorum_met").asBoolean()).isTrue();
        assertThat(quorum.get(1).get("quorum_met").asBoolean()).isFalse();
        assertThat(quorum.get(1).get("cosigned_by").toString()).isEqualTo("[\"w1\"]");
    }

    @Test
    void aFileWithNoCheckpointMeetingTheQuorumIsAFailureToVerify() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        TlogInteropTest.entries(db, 3);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/policy");
        String pub = dir.resolve("checkpoint.pub").toString();
        String witnessFile = dir.resolve("w.txt").toString();
        Cli.json(db, "checkpoint", "--key", dir.resolve("checkpoint.key").toString(), "--witness", witnessFile);
        TestCosigner w1 = new TestCosigner("witness.example/w1");
        TestCosigner w2 = new TestCosigner("witness.example/w2");

        Cli.Run run = Cli.on(
                db,
                "verify",
                "--checkpoints",
                witnessFile,
                "--public-key",
                pub,
                "--policy",
                policy("any", w1, w2).toString());

        assertThat(run.exitCode()).isEqualTo(2);
        Path broken = dir.resolve("broken.policy");
        Files.writeString(broken, "quorum nobody\n");
        assertThat(Cli.on(db, "verify", "--public-key", pub, "--policy", broken.toString())
                        .exitCode())
                .isEqualTo(2);
    }

    private Path policy(String threshold, TestCosigner... witnesses) throws Exception {
        StringBuilder p = new StringBuilder(
                "log " + Files.readString(dir.resolve("checkpoint.pub")).strip() + "\n");
        StringBuilder names = new StringBuilder();
        int i = 1;
        for (TestCosigner w : witnesses) {
            p.append("witness w").append(i).append(' ').append(w.verifierKey()).append('\n');
            names.append(" w").append(i++);
        }
        p.append("group g ").append(threshold).append(names).append("\nquorum g\n");
        Path file = dir.resolve(threshold + ".policy");
        Files.writeString(file, p);
        return file;
    }
}
