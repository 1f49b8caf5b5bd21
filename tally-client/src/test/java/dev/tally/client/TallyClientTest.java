package dev.tally.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java client against a real server: the README's session, safe retries, typed refusals, If-Match, proofs. */
class TallyClientTest {
    private static LiveServer live;
    private static TallyClient admin;
    private static TallyClient game;
    private static String gameKey;

    @BeforeAll
    static void start() {
        live = LiveServer.start();
        admin = live.admin();
        gameKey = admin.createApiKey("game-backend", "service");
        game = TallyClient.builder(live.uri(), gameKey).build();
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    /** Two new USER accounts, the first holding 100.00 EUR; returns their usernames. */
    private static String[] twoAccounts() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + tag;
        String bob = "bob-" + tag;
        admin.createAccount(alice, alice + "@example.com");
        admin.createAccount(bob, bob + "@example.com");
        admin.mint("mint-" + tag, alice, "EUR", "100.00");
        return new String[] {alice, bob};
    }

    @Test
    void theReadmeSessionRunsThroughTheClient() {
        Account alice = admin.createAccount("alice", "alice@example.com");
        admin.createAccount("bob", "bob@example.com");
        assertThat(alice.version()).isEqualTo(1);

        Written mint = admin.mint("mint-001", "alice", "EUR", "100.00");
        assertThat(mint.outcome()).isEqualTo(Written.Outcome.CREATED);
        assertThat(mint.entry().type()).isEqualTo("MINT");

        Written purchase = game.transfer(Transfer.purchase("order-7731", "alice", "bob", "EUR", "12.50"));
        assertThat(purchase.outcome()).isEqualTo(Written.Outcome.CREATED);
        assertThat(purchase.entry().taxKind()).isEqualTo("VAT");
        assertThat(purchase.entry().taxWithheld()).isEqualTo("2.50");
        assertThat(purchase.entry().amountNet()).isEqualTo("10.00");

        Written again = game.transfer(Transfer.purchase("order-7731", "alice", "bob", "EUR", "12.50"));
        assertThat(again.outcome()).isEqualTo(Written.Outcome.REPLAYED);
        assertThat(again.entry()).isEqualTo(purchase.entry());

        assertThat(game.history("bob", "received", 10))
                .extracting(Entry::transactionId)
                .containsExactly("order-7731");
        assertThat(game.account("bob").balances()).containsEntry("EUR", "10.00");
    }

    @Test
    void aTransferRetriedAfterTheConnectionDroppedIsWrittenExactlyOnce() throws Exception {
        String[] a = twoAccounts();
        try (KillingProxy proxy = new KillingProxy(live.server.port())) {
            TallyClient throughProxy = TallyClient.builder(LiveServer.uri(proxy.port()), gameKey)
                    .retries(4, Duration.ofMillis(20))
                    .build();
            proxy.armed();
            Written w = throughProxy.transfer(Transfer.purchase("order-killed", a[0], a[1], "EUR", "12.50"));

            assertThat(proxy.kills()).isEqualTo(1);
            assertThat(w.outcome())
                    .as("the retry met the entry the lost answer was about")
                    .isEqualTo(Written.Outcome.REPLAYED);
        }
        assertThat(game.history(a[0], "sent", 50))
                .extracting(Entry::transactionId)
                .containsExactly("order-killed");
        assertThat(game.account(a[0]).balances()).containsEntry("EUR", "87.50");
    }

    @Test
    void aRefusedTransferIsATypedProblemAndWritesNothing() {
        String[] a = twoAccounts();
        assertThatThrownBy(() -> game.transfer(Transfer.of("TRANSFER", a[0], a[1], "EUR", "500.00")))
                .isInstanceOfSatisfying(TallyProblem.class, p -> {
                    assertThat(p.code()).isEqualTo("INSUFFICIENT_FUNDS");
                    assertThat(p.status()).isEqualTo(422);
                });
        assertThat(game.history(a[0], "sent", 50)).isEmpty();
        assertThat(game.account(a[0]).balances()).containsEntry("EUR", "100.00");
    }

    @Test
    void anEmailChangeThatLosesARaceReadsAgainAndRetries() {
        String[] a = twoAccounts();
        AtomicBoolean raced = new AtomicBoolean();
        Account changed = game.changeEmail(a[0], current -> {
            if (raced.compareAndSet(false, true)) {
                // Another writer changes the account between our read and our write: our If-Match is stale.
                admin.changeEmail(a[0], other -> "other@example.com");
            }
            return "new-" + current.version() + "@example.com";
        });
        assertThat(raced).isTrue();
        assertThat(changed.email())
                .as("computed from the account as the other writer left it")
                .isEqualTo("new-" + (changed.version() - 1) + "@example.com");
    }

    @Test
    void anInclusionProofChecksOutAgainstThePinnedKeyAndATamperedOneDoesNot() throws Exception {
        String[] a = twoAccounts();
        Written w = game.transfer(Transfer.purchase("order-proof", a[0], a[1], "EUR", "5.00"));
        VerifiedInclusion ok = eventually(() -> game.verifyInclusion("order-proof", live.verifierKey));
        assertThat(ok.leafIndex()).isEqualTo(w.entry().seq() - 1);
        assertThat(ok.origin()).isEqualTo("tally.example/client-test");

        String proof = game.inclusionProof("order-proof");
        ObjectMapper json = new ObjectMapper();
        ObjectNode tampered = (ObjectNode) json.readTree(proof);
        tampered.put("leafHash", Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> TallyClient.checkInclusion(tampered.toString(), w.entry(), live.verifierKey))
                .isInstanceOf(ProofRejected.class);
        Entry other = game.transaction("mint-" + a[0].substring(6));
        assertThatThrownBy(() -> TallyClient.checkInclusion(proof, other, live.verifierKey))
                .as("the proof of one entry does not prove another")
                .isInstanceOf(ProofRejected.class);
        ObjectNode badRoot = (ObjectNode) json.readTree(proof);
        badRoot.put("root", Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> TallyClient.checkInclusion(badRoot.toString(), w.entry(), live.verifierKey))
                .isInstanceOf(ProofRejected.class);
    }

    /** Checkpoints are signed in the background: a proof carries one once the signer has caught up. */
    private static <T> T eventually(java.util.function.Supplier<T> check) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            try {
                return check.get();
            } catch (ProofRejected e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
