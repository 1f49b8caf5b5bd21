package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.store.testing.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tally's tiles, checkpoints, cosignatures, proofs and receipts checked by the Go project's
 * {@code sumdb/tlog} and {@code sumdb/note}, software no one on Tally wrote (see {@link GoTlog}).
 */
class TlogInteropTest {
    @TempDir
    Path dir;

    @Test
    void goTileHashReaderAcceptsTheExportedTilesAgainstTheSignedCheckpoint() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        // 70,000 entries would take minutes; 600 give two full level-0 tiles, a partial one and a level-1 tile.
        entries(db, 600);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/interop");
        String key = dir.resolve("checkpoint.key").toString();
        String pub = dir.resolve("checkpoint.pub").toString();
        Cli.json(
                db,
                "checkpoint",
                "--key",
                key,
                "--witness",
                dir.resolve("witness.txt").toString());
        Path out = dir.resolve("tiles");

        Cli.json(db, "tiles", "export", "--out", out.toString());

        assertThat(out.resolve("tile/0/001")).hasSize(8192);
        assertThat(out.resolve("tile/0/002.p/88")).hasSize(88 * 32);
        assertThat(out.resolve("tile/1/000.p/2")).hasSize(64);
        GoTlog.run("tiles", out.toString(), pub).ok();
        GoTlog.run("note", out.resolve("checkpoint").toString(), pub).ok();
    }

    @Test
    void aRerunExportsOnlyNewTilesAndGoStillAcceptsTheTree() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        entries(db, 300);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/interop");
        String key = dir.resolve("checkpoint.key").toString();
        String pub = dir.resolve("checkpoint.pub").toString();
        String witness = dir.resolve("witness.txt").toString();
        Cli.json(db, "checkpoint", "--key", key, "--witness", witness);
        Path out = dir.resolve("tiles");
        Cli.json(db, "tiles", "export", "--out", out.toString());
        long fullTile = Files.getLastModifiedTime(out.resolve("tile/0/000")).toMillis();
        entries(db, 5);
        Cli.json(db, "checkpoint", "--key", key, "--witness", witness);

        var second = Cli.json(db, "tiles", "export", "--out", out.toString());

        // the full tiles of level 0 (hashes, entries, canonical) and level 1's partial tile of width 1
        assertThat(second.get("kept").asInt()).isEqualTo(4);
        assertThat(Files.getLastModifiedTime(out.resolve("tile/0/000")).toMillis())
                .isEqualTo(fullTile);
        assertThat(out.resolve("tile/0/001.p/44")).exists();
        assertThat(out.resolve("tile/0/001.p/49")).exists();
        GoTlog.run("tiles", out.toString(), pub).ok();
    }

    @Test
    void goProofCheckersAcceptTallysInclusionAndConsistencyProofs() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        entries(db, 40);
        Cli.run("keygen", "--out", dir.toString(), "--name", "ledger.example.com/interop");
        String key = dir.resolve("checkpoint.key").toString();
        String pub = dir.resolve("checkpoint.pub").toString();
        String witness = dir.resolve("witness.txt").toString();
        Cli.json(db, "checkpoint", "--key", key, "--witness", witness);
        entries(db, 7);
        Cli.json(db, "checkpoint", "--key", key, "--witness", witness);
        Path inclusion = dir.resolve("inclusion.json");
        Path consistency = dir.resolve("consistency.json");
        Files.writeString(inclusion, Cli.on(db, "proof", "inclusion", "e-13").out());
        Files.writeString(
                consistency,
                Cli.on(db, "proof", "consistency", "--from", "40", "--to", "47").out());

        GoTlog.run("proof", inclusion.toString(), pub).ok();
        GoTlog.run("proof", consistency.toString(), pub).ok();
        Files.writeString(inclusion, Files.readString(inclusion).replace("\"leafIdx\":13", "\"leafIdx\":14"));
        assertThat(GoTlog.run("proof", inclusion.toString(), pub).exitCode()).isEqualTo(1);
    }

    /** Appends {@code n} mints to the ledger at {@code db}, in one batch. */
    static void entries(String db, int n) {
        try (Ledger ledger = Ledger.open(db)) {
            UUID to = ledger.reads()
                    .findAccount("holder")
                    .map(a -> a.id())
                    .orElseGet(() -> ledger.createAccount("holder", "holder@example.com", Role.USER)
                            .id());
            long start = ledger.log().merkleLog().size();
            List<Command> mints = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                mints.add(new Command.Mint(
                        "e-" + (start + i), to, ledger.money("1.00", "EUR"), EntryContext.actor("interop")));
            }
            ledger.submitAll(mints).join();
        }
    }
}
