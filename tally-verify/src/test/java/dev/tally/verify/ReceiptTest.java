package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Receipts (C2SP tlog-proof with the entry's canonical encoding as extra), cosignatures (cosignature/v1) and
 * tlog-policy quorums, over the one-entry tree of docs/FORMAT.md §1's first vector.
 */
class ReceiptTest {
    /** docs/FORMAT.md §1, vector 1 (the mint). */
    static final byte[] MINT = HexFormat.of()
            .parseHex("010000000000000001000000066d696e742d31000000044d494e5400000009434f4d504c45544544000100000000"
                    + "00000000000000000000a11c00000003455552000000000000271000000000000000000000000000002710000000"
                    + "044e4f4e4500064a8d1bf49b40010000000561646d696e000000000000000000000000000000000000000000000000"
                    + "0000000000000000000000");

    private final NoteSigner log =
            NoteSigner.fromSignerKey(NoteSigner.generate("log.example/receipts").signerKey());
    private final String note =
            log.sign(new Checkpoint("log.example/receipts", 1, Hashes.leafHash(Hashes.sha256(MINT))).body());
    private final Receipt receipt = new Receipt(MINT, 0, List.of(), note);

    @Test
    void theEntryDecodesToFormatVectorOne() {
        EntryRecord e = EntryRecord.decode(MINT);

        assertThat(e.seq()).isEqualTo(1);
        assertThat(Hashes.toHex(e.currentHash()))
                .isEqualTo("460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774");
        assertThat(e.fields())
                .containsEntry("transaction_id", "mint-1")
                .containsEntry("receiver_id", "00000000-0000-0000-0000-00000000a11c")
                .containsEntry("sender_id", "-")
                .containsEntry("amount_gross", "10000")
                .containsEntry("created_at", "2026-02-11T14:23:00.123456Z")
                .containsEntry("actor", "admin");
        assertThatThrownBy(() -> EntryRecord.decode(Arrays.copyOf(MINT, MINT.length + 1)))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> EntryRecord.decode(Arrays.copyOf(MINT, MINT.length - 1)))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void aReceiptRoundTripsAndVerifiesWithTheLogKey() {
        String text = receipt.format();

        assertThat(text)
                .startsWith("c2sp.org/tlog-proof@v1\nextra AQ")
                .contains("\nindex 0\n\nlog.example/receipts\n1\n");
        Receipt parsed = Receipt.parse(text);
        assertThat(parsed.format()).isEqualTo(text);
        assertThat(check(text, Optional.empty())).isEqualTo(ProofCheck.VALID);
        assertThat(parsed.verify(log.verifier(), Optional.empty()).entry().seq())
                .isEqualTo(1);
    }

    @Test
    void aReceiptWithAnotherIndexAKeyOfAnotherLogOrBrokenTextIsRefused() {
        String text = receipt.format();

        assertThat(check(text.replace("index 0", "index 1"), Optional.empty())).isEqualTo(ProofCheck.INVALID);
        assertThat(check(text.replace("index 0", "index 00"), Optional.empty())).isEqualTo(ProofCheck.MALFORMED);
        assertThat(check(text.replace("extra ", "extra  "), Optional.empty())).isEqualTo(ProofCheck.MALFORMED);
        assertThat(check(text.replace("\nextra ", "\nextras "), Optional.empty()))
                .isEqualTo(ProofCheck.MALFORMED);
        assertThat(check(text.replace("\n\n", "\n"), Optional.empty())).isEqualTo(ProofCheck.MALFORMED);
        assertThat(check("c2sp.org/tlog-proof@v1\n", Optional.empty())).isEqualTo(ProofCheck.MALFORMED);
        String other = NoteSigner.generate("log.example/other").verifierKey();
        assertThat(ReceiptCheck.check(text, other, Optional.empty(), quiet())).isEqualTo(ProofCheck.INVALID);
    }

    @Test
    void aPolicyQuorumCountsOnlyValidCosignaturesOfItsWitnesses() throws Exception {
        Cosigner a = new Cosigner("w.example/a");
        Cosigner b = new Cosigner("w.example/b");
        Cosigner c = new Cosigner("w.example/c");
        String policy = "log " + log.verifier().verifierKey() + " https://log.example/\n"
                + "  # three witnesses, two of them\n\twitness A " + a.vkey() + "\nwitness B " + b.vkey()
                + " https://a.example/\nwitness C " + c.vkey() + "\ngroup two 2 A B C\nquorum two\n";
        String body = note.substring(0, note.indexOf("\n\n") + 1);
        String one = note + a.line(body);
        String two = one + c.line(body);

        assertThat(check(receipt.format(), Optional.of(policy))).isEqualTo(ProofCheck.INVALID);
        assertThat(check(new Receipt(MINT, 0, List.of(), one).format(), Optional.of(policy)))
                .isEqualTo(ProofCheck.INVALID);
        assertThat(check(new Receipt(MINT, 0, List.of(), two).format(), Optional.of(policy)))
                .isEqualTo(ProofCheck.VALID);
        Policy p = Policy.parse(policy);
        assertThat(p.cosigners(SignedNote.parse(two))).isEqualTo(Set.of("A", "C"));
        assertThat(p.witnesses()).containsOnlyKeys("A", "B", "C");
        assertThat(Policy.parse("quorum none\n").quorumMet(Set.of())).isTrue();
        Policy nested = Policy.parse("witness A " + a.vkey() + "\nwitness B " + b.vkey() + "\nwitness C " + c.vkey()
                + "\ngroup ab all A B\ngroup either any ab C\nquorum either\n");
        assertThat(nested.quorumMet(Set.of("A"))).isFalse();
        assertThat(nested.quorumMet(Set.of("A", "B"))).isTrue();
        assertThat(nested.quorumMet(Set.of("C"))).isTrue();
        assertThat(Policy.parse("witness A " + a.vkey() + "\nquorum A").quorumMet(Set.of("A")))
                .isTrue();
        String forged = note + a.line(body.replace("\n1\n", "\n2\n"));
        assertThat(check(new Receipt(MINT, 0, List.of(), forged).format(), Optional.of(policy)))
                .isEqualTo(ProofCheck.INVALID);
    }

    @Test
    void policiesThatTheSpecForbidsAreMalformed() throws Exception {
        String a = new Cosigner("w.example/a").vkey();
        for (String bad : List.of(
                "",
                "quorum none\nquorum none\n",
                "quorum X\n",
                "witness none " + a + "\nquorum none\n",
                "witness A " + a + "\nwitness B " + a + "\nquorum A\n",
                "witness A " + a + "\ngroup g 2 A\nquorum g\n",
                "witness A " + a + "\ngroup g 0 A\nquorum g\n",
                "witness A " + a + "\ngroup g any A A\nquorum g\n",
                "group g any A\nwitness A " + a + "\nquorum g\n",
                "witness A " + a + "\nquorum A\nbogus line\n",
                "witness A " + a + "\u0001\nquorum A\n",
                "witness A " + log.verifier().verifierKey() + "\nquorum A\n",
                "log " + a + "\nquorum none\n")) {
            assertThatThrownBy(() -> Policy.parse(bad)).as(bad).isInstanceOf(ProofException.class);
        }
        assertThatThrownBy(() -> CosignatureVerifier.fromVerifierKey("w.example/a+00000000+" + a.split("\\+")[2]))
                .isInstanceOf(ProofException.class);
    }

    private int check(String text, Optional<String> policy) {
        return ReceiptCheck.check(text, log.verifier().verifierKey(), policy, quiet());
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** A witness key made with the JDK, cosigning as cosignature/v1. */
    record Cosigner(String name, KeyPair keys) {
        Cosigner(String name) throws Exception {
            this(name, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        }

        byte[] raw() {
            byte[] der = keys.getPublic().getEncoded();
            return Arrays.copyOfRange(der, der.length - 32, der.length);
        }

        String vkey() {
            return new CosignatureVerifier(name, raw()).verifierKey();
        }

        String line(String body) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(CosignatureVerifier.signedMessage(body, 1_767_225_600L));
            ByteBuffer b = ByteBuffer.allocate(76);
            b.putInt(SignedNote.keyId(name, CosignatureVerifier.TYPE, raw()))
                    .putLong(1_767_225_600L)
                    .put(s.sign());
            return "\u2014 " + name + " " + Hashes.toBase64(b.array()) + "\n";
        }
    }
}
