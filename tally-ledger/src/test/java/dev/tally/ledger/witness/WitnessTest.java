package dev.tally.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.verify.CosignatureSigner;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.SignedNote;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C2SP tlog-witness both ways: Tally's ledger as a log collecting cosignatures, and Tally's witness verifying
 * signatures and consistency, answering 409 on a stale old size, and keeping forks, rollbacks and
 * inconsistent histories as evidence.
 */
class WitnessTest {
    @TempDir
    Path dir;

    private final NoteSigner logKey =
            NoteSigner.fromSignerKey(NoteSigner.generate("log.example/a").signerKey());
    private final NoteSigner otherLogKey =
            NoteSigner.fromSignerKey(NoteSigner.generate("log.example/b").signerKey());
    private final CosignatureSigner witnessKey = CosignatureSigner.fromSignerKey(
            NoteSigner.generate("witness.example/w1").signerKey());

    @Test
    void theLogCollectsACosignatureForEachNewCheckpointAndPublishesIt() throws Exception {
        Witness witness = witness(List.of(logKey));
        try (WitnessServer server = WitnessServer.start(witness, "127.0.0.1", 0);
                Ledger ledger = ledger(5)) {
            Cosigning cosigning = cosigning(ledger, server.port());
            ledger.log().checkpoint(logKey, Optional.empty());

            assertThat(cosigning.cosignLatest()).containsEntry("w1", Cosigning.Outcome.COSIGNED);
            add(ledger, 4);
            ledger.log().checkpoint(logKey, Optional.empty());
            assertThat(cosigning.cosignLatest()).containsEntry("w1", Cosigning.Outcome.COSIGNED);
            assertThat(cosigning.cosignLatest()).containsEntry("w1", Cosigning.Outcome.ALREADY);

            String published = ledger.log().tiles().checkpoint().orElseThrow().note();
            SignedNote note = SignedNote.parse(published);
            assertThat(note.signatures()).hasSize(2);
            assertThat(witnessKey
                            .verifier()
                            .verify(note.text(), note.signatures().get(1)))
                    .isPresent();
            logKey.verifier().open(published);
            assertThat(witness.checkpoint(WitnessStore.originHash("log.example/a"))
                            .body())
                    .startsWith("log.example/a\n9\n");
        }
    }

    @Test
    void oneWitnessServesSeveralLogs() throws Exception {
        Witness witness = witness(List.of(logKey, otherLogKey));
        try (WitnessServer server = WitnessServer.start(witness, "127.0.0.1", 0);
                Ledger a = ledger(3);
                Ledger b = ledger(6)) {
            a.log().checkpoint(logKey, Optional.empty());
            b.log().checkpoint(otherLogKey, Optional.empty());

            assertThat(cosigning(a, server.port()).cosignLatest()).containsEntry("w1", Cosigning.Outcome.COSIGNED);
            assertThat(cosigning(b, server.port()).cosignLatest()).containsEntry("w1", Cosigning.Outcome.COSIGNED);
            assertThat(witness.checkpoint(WitnessStore.originHash("log.example/a"))
                            .body())
                    .startsWith("log.example/a\n3\n");
            assertThat(witness.checkpoint(WitnessStore.originHash("log.example/b"))
                            .body())
                    .startsWith("log.example/b\n6\n");
            assertThat(witness.checkpoint("00".repeat(32)).status()).isEqualTo(404);
        }
    }

    @Test
    void aStaleOldSizeIs409WithTheWitnessSizeAndTheLogCatchesUp() throws Exception {
        Witness witness = witness(List.of(logKey));
        try (WitnessServer server = WitnessServer.start(witness, "127.0.0.1", 0);
                Ledger ledger = ledger(4)) {
            SignedCheckpoint first = ledger.log().checkpoint(logKey, Optional.empty());
            assertThat(witness.addCheckpoint("old 0\n\n" + first.note()).status())
                    .isEqualTo(200);
            add(ledger, 3);
            SignedCheckpoint second = ledger.log().checkpoint(logKey, Optional.empty());

            Witness.Answer stale = witness.addCheckpoint("old 0\n\n" + second.note());

            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.contentType()).isEqualTo("text/x.tlog.size");
            assertThat(stale.body()).isEqualTo("4\n");
            // A log that knows nothing of the witness starts at 0, learns 4 from the 409, and proves 4 → 7.
            assertThat(cosigning(ledger, server.port()).cosignLatest()).containsEntry("w1", Cosigning.Outcome.COSIGNED);
        }
    }

    @Test
    void aForkIsRefusedAndKeptAsEvidence() throws Exception {
        Witness witness = witness(List.of(logKey));
        try (Ledger honest = ledger(5);
                Ledger forked = ledger(5)) {
            SignedCheckpoint seen = honest.log().checkpoint(logKey, Optional.empty());
            SignedCheckpoint other = forked.log().checkpoint(logKey, Optional.empty());
            assertThat(witness.addCheckpoint("old 0\n\n" + seen.note()).status())
                    .isEqualTo(200);

            Witness.Answer fork = witness.addCheckpoint("old 5\n\n" + other.note());

            assertThat(fork.status()).isEqualTo(422);
            assertThat(witness.store().evidence()).singleElement().asString().startsWith("kind: FORK");
            assertThat(witness.store().latest("log.example/a").orElseThrow()).startsWith(seen.note());
        }
    }

    @Test
    void aRollbackAndAnInconsistentHistoryAreRefusedAndKeptAsEvidence() throws Exception {
        Witness witness = witness(List.of(logKey));
        try (Ledger honest = ledger(3);
                Ledger rewritten = ledger(8)) {
            SignedCheckpoint small = honest.log().checkpoint(logKey, Optional.empty());
            add(honest, 3);
            SignedCheckpoint big = honest.log().checkpoint(logKey, Optional.empty());
            assertThat(witness.addCheckpoint("old 0\n\n" + big.note()).status()).isEqualTo(200);

            Witness.Answer rollback = witness.addCheckpoint("old 6\n\n" + small.note());
            assertThat(rollback.status()).isEqualTo(400);
            assertThat(witness.addCheckpoint("old 0\n\n" + small.note()).status())
                    .isEqualTo(409);
            // Another history of 8 entries under the same key, with its own (valid) proof from size 6.
            SignedCheckpoint other = rewritten.log().checkpoint(logKey, Optional.empty());
            StringBuilder body = new StringBuilder("old 6\n");
            for (byte[] h : rewritten.log().merkleLog().consistencyProof(6, 8).proof()) {
                body.append(Hashes.toBase64(h)).append('\n');
            }
            Witness.Answer inconsistent = witness.addCheckpoint(body + "\n" + other.note());

            assertThat(inconsistent.status()).isEqualTo(422);
            assertThat(witness.store().evidence())
                    .extracting(e -> e.lines().findFirst().orElseThrow())
                    .containsExactly("kind: ROLLBACK", "kind: INCONSISTENT");
            assertThat(witness.store().latest("log.example/a").orElseThrow()).startsWith(big.note());
        }
    }

    @Test
    void badRequestsGetTheSpecsStatusCodes() throws Exception {
        Witness witness = witness(List.of(logKey));
        try (Ledger ledger = ledger(2);
                Ledger unknown = ledger(2)) {
            SignedCheckpoint c = ledger.log().checkpoint(logKey, Optional.empty());
            SignedCheckpoint foreign = unknown.log().checkpoint(otherLogKey, Optional.empty());

            assertThat(witness.addCheckpoint("old 0\n\n" + foreign.note()).status())
                    .isEqualTo(404);
            assertThat(witness.addCheckpoint("old 3\n\n" + c.note()).status()).isEqualTo(400);
            assertThat(witness.addCheckpoint("old x\n\n" + c.note()).status()).isEqualTo(400);
            assertThat(witness.addCheckpoint("old 0\n" + c.note()).status()).isEqualTo(400);
            String forged = c.note().substring(0, c.note().length() - 6) + "AAAA=\n";
            assertThat(witness.addCheckpoint("old 0\n\n" + forged).status()).isIn(400, 403);
            String unsigned = c.note().replace(logKey.name() + " ", "someone.else/x ");
            assertThat(witness.addCheckpoint("old 0\n\n" + unsigned).status()).isEqualTo(403);
            assertThat(witness.addCheckpoint("old 0\n" + Hashes.toBase64(new byte[32]) + "\n\n" + c.note())
                            .status())
                    .isEqualTo(422);
            assertThat(witness.store().latest("log.example/a")).isEmpty();
        }
    }

    @Test
    void aWitnessThatIsDownNeverStopsTheLedger() throws Exception {
        try (Ledger ledger = ledger(2)) {
            ledger.log().checkpoint(logKey, Optional.empty());
            Cosigning cosigning = new Cosigning(
                    ledger.log().merkleLog(),
                    List.of(new Cosigning.Endpoint("w1", URI.create("http://127.0.0.1:9/"), witnessKey.verifier())),
                    Duration.ofMillis(500));

            Map<String, Cosigning.Outcome> outcome = cosigning.cosignLatest();

            assertThat(outcome).containsEntry("w1", Cosigning.Outcome.UNREACHABLE);
            add(ledger, 1);
            assertThat(ledger.log().merkleLog().size()).isEqualTo(3);
        }
    }

    private Witness witness(List<NoteSigner> logs) {
        return new Witness(
                logs.stream().map(NoteSigner::verifier).toList(),
                witnessKey,
                new WitnessStore(dir.resolve("witness-" + System.nanoTime())),
                Clock.systemUTC());
    }

    private Cosigning cosigning(Ledger ledger, int port) {
        return new Cosigning(
                ledger.log().merkleLog(),
                List.of(new Cosigning.Endpoint(
                        "w1", URI.create("http://127.0.0.1:" + port + "/"), witnessKey.verifier())),
                Duration.ofSeconds(5));
    }

    private static Ledger ledger(int entries) {
        Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE);
        ledger.createAccount("holder", "holder@example.com", Role.USER);
        add(ledger, entries);
        return ledger;
    }

    private static void add(Ledger ledger, int n) {
        Account a = ledger.reads().findAccount("holder").orElseThrow();
        List<Command> mints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mints.add(new Command.Mint(
                    "m" + System.nanoTime() + "-" + i, a.id(), ledger.money("1.00", "EUR"), EntryContext.actor("t")));
        }
        ledger.submitAll(mints).join();
    }
}
