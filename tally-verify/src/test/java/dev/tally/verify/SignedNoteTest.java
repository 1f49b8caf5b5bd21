package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** C2SP signed notes, with the known-answer vectors of Go's golang.org/x/mod/sumdb/note/note_test.go. */
class SignedNoteTest {
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = """
            If you think cryptography is the answer to your problem,
            then you don't know what your problem is.
            """;
    static final String PETER_SIG =
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG =
            "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    @Test
    void goExampleNoteVerifiesWithPeterNeumannKey() {
        NoteVerifier.Verified v = NoteVerifier.fromVerifierKey(PETER_VKEY).open(TEXT + "\n" + PETER_SIG);
        assertThat(v.text()).isEqualTo(TEXT);
        assertThat(v.keyName()).isEqualTo("PeterNeumann");
        assertThat(v.keyId()).isEqualTo(0xc74f20a3);
    }

    @Test
    void signingGoExampleTextWithPeterNeumannKeyReproducesGoOutput() {
        assertThat(NoteSigner.fromSignerKey(PETER_SKEY).sign(TEXT)).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void signatureFromUnknownKeyIsIgnoredWhenTheKnownKeySigned() {
        assertThat(NoteVerifier.fromVerifierKey(PETER_VKEY)
                        .open(TEXT + "\n" + PETER_SIG + ENOCH_SIG)
                        .text())
                .isEqualTo(TEXT);
        assertThat(NoteVerifier.fromVerifierKey(ENOCH_VKEY)
                        .open(TEXT + "\n" + PETER_SIG + ENOCH_SIG)
                        .keyName())
                .isEqualTo("EnochRoot");
    }

    @Test
    void signerAndVerifierKeyTextsRoundTrip() {
        assertThat(NoteVerifier.fromVerifierKey(PETER_VKEY).verifierKey()).isEqualTo(PETER_VKEY);
        assertThat(NoteSigner.fromSignerKey(PETER_SKEY).verifier().verifierKey())
                .isEqualTo(PETER_VKEY);
    }

    @Test
    void generatedKeyPairSignsNotesItsVerifierAccepts() {
        NoteSigner.KeyPairText keys = NoteSigner.generate("tally.dev/log");
        String note = NoteSigner.fromSignerKey(keys.signerKey()).sign("hello\n");
        assertThat(NoteVerifier.fromVerifierKey(keys.verifierKey()).open(note).text())
                .isEqualTo("hello\n");
        assertThat(keys.toString()).doesNotContain(keys.signerKey()).contains(keys.verifierKey());
    }

    @Test
    void signerBuiltFromJdkPrivateKeyHasTheMatchingKeyId() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        NoteSigner signer = new NoteSigner("jdk", pair.getPrivate());
        byte[] raw = pair.getPublic().getEncoded();
        byte[] pub = java.util.Arrays.copyOfRange(raw, raw.length - 32, raw.length);
        assertThat(signer.keyId()).isEqualTo(new NoteVerifier("jdk", pub).keyId());
        assertThat(new NoteVerifier("jdk", pub).open(signer.sign("x\n")).text()).isEqualTo("x\n");
    }

    @Test
    void tamperedTextFailsWithBadSignature() {
        String tampered = TEXT.replace("problem,", "problem;") + "\n" + PETER_SIG;
        assertBadSignature(() -> NoteVerifier.fromVerifierKey(PETER_VKEY).open(tampered));
    }

    @Test
    void noteWithoutSignatureFromTheKeyFailsWithBadSignature() {
        assertBadSignature(() -> NoteVerifier.fromVerifierKey(ENOCH_VKEY).open(TEXT + "\n" + PETER_SIG));
    }

    @Test
    void forgedSignatureLineFailsWithBadSignature() {
        String forged = TEXT + "\n" + PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        assertBadSignature(() -> NoteVerifier.fromVerifierKey(PETER_VKEY).open(forged));
    }

    @Test
    void oneInvalidSignatureFromTheKeyFailsEvenNextToAValidOne() {
        String forged = TEXT + "\n" + PETER_SIG + PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        assertBadSignature(() -> NoteVerifier.fromVerifierKey(PETER_VKEY).open(forged));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                TEXT,
                TEXT + "\n",
                TEXT + "\n"
                        + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                "\u0001" + TEXT + "\n" + PETER_SIG,
                "\ud800" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n"
                        + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                TEXT + "\n"
                        + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
                TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",
            })
    void malformedNoteFailsWithMalformed(String note) {
        assertThatThrownBy(() -> NoteVerifier.fromVerifierKey(PETER_VKEY).open(note))
                .isInstanceOfSatisfying(
                        ProofException.class, e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.MALFORMED));
    }

    @Test
    void noteWithMoreThanOneHundredSignaturesIsMalformed() {
        assertThatThrownBy(() -> SignedNote.parse(TEXT + "\n" + PETER_SIG.repeat(101)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("more than 100");
    }

    @Test
    void everyTruncationOrSingleCharacterChangeOfTheVerifierKeyIsRejected() {
        for (int i = 0; i <= PETER_VKEY.length(); i++) {
            for (int j = i + 1; j <= PETER_VKEY.length(); j++) {
                if (i != 0 || j != PETER_VKEY.length()) {
                    String sub = PETER_VKEY.substring(i, j);
                    assertThatThrownBy(() -> NoteVerifier.fromVerifierKey(sub))
                            .as(sub)
                            .isInstanceOf(ProofException.class);
                }
            }
        }
        for (int i = 0; i < PETER_VKEY.length(); i++) {
            char[] c = PETER_VKEY.toCharArray();
            c[i]++;
            String changed = new String(c);
            assertThatThrownBy(() -> NoteVerifier.fromVerifierKey(changed))
                    .as(changed)
                    .isInstanceOf(ProofException.class);
        }
    }

    @Test
    void everySingleCharacterChangeOfTheSignerKeyIsRejected() {
        for (int i = 0; i < PETER_SKEY.length(); i++) {
            char[] c = PETER_SKEY.toCharArray();
            c[i]++;
            String changed = new String(c);
            assertThatThrownBy(() -> NoteSigner.fromSignerKey(changed))
                    .as(changed)
                    .isInstanceOf(ProofException.class);
        }
    }

    @Test
    void verifierKeysWithWrongLengthOrUnknownAlgorithmAreRejected() {
        // From note_test.go: wrong key length and unknown algorithm, each with an adjusted key hash.
        assertThatThrownBy(() -> NoteVerifier.fromVerifierKey(
                        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> NoteVerifier.fromVerifierKey(
                        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("type 0x01");
    }

    @Test
    void signingTextWithoutFinalNewlineIsMalformed() {
        assertThatThrownBy(() -> NoteSigner.fromSignerKey(PETER_SKEY).sign("abc"))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("newline");
    }

    @Test
    void keyNamesWithSpacesOrPlusAreInvalid() {
        assertThat(List.of("a b", "a+b", "", "a\u00a0b", "a\u2028b", "a\tb")).noneMatch(SignedNote::isValidKeyName);
        assertThat(SignedNote.isValidKeyName("example.com/log42")).isTrue();
    }

    @Test
    void signedCheckpointRoundTripsThroughVerifier() {
        NoteSigner signer =
                NoteSigner.fromSignerKey(NoteSigner.generate("tally.dev/log").signerKey());
        Checkpoint checkpoint = new Checkpoint("tally.dev/log", 8, Hashes.emptyRoot());
        assertThat(signer.verifier().open(signer.sign(checkpoint.body())).checkpoint())
                .isEqualTo(checkpoint);
    }

    @Test
    void parsedNoteFormatsBackToTheSameText() {
        String note = TEXT + "\n" + PETER_SIG + ENOCH_SIG;
        assertThat(SignedNote.parse(note).format()).isEqualTo(note);
    }

    private static void assertBadSignature(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ProofException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProofException.Reason.BAD_SIGNATURE));
    }
}
