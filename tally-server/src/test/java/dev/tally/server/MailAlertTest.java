package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.config.MailAlerts;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * E-mail alerts against a real SMTP server started in the test (GreenMail): delivery and content of the
 * failed-verification message, retries while the server is down, and a server that never answers holding
 * up nothing but its own delivery.
 */
class MailAlertTest {
    private static final String CONSOLE = "https://tally.example/console";

    @Test
    void aFailedVerificationIsMailedWithWhatTheOnCallAdminNeeds() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("tally-alerts@example.com", "tally-alerts", "s3cret");
        smtp.start();
        try (Running s = Running.start(
                StoreKind.SQLITE,
                c -> c.withAudit(audit(
                        AuditConfig.FailurePolicy.FREEZE, mail(smtp.getSmtp().getPort(), true))))) {
            String a = s.account("alice");
            String b = s.account("bob");
            s.mint(a, "100.00");
            for (int i = 1; i <= 3; i++) {
                s.http.post("/v1/transfers", s.service, AccountsApiTest.transfer("t-" + i, a, b, "1.00"));
            }
            tamper(s, "t-2");
            assertThat(s.http.post("/v1/audit/verify", s.admin, null)
                            .json()
                            .get("valid")
                            .asBoolean())
                    .isFalse();

            awaitMessages(smtp, 2);
            MimeMessage m = smtp.getReceivedMessages()[0];
            assertThat(m.getSubject()).contains("Ledger integrity failure").contains("VERIFICATION_FAILED");
            assertThat(m.getFrom()[0].toString()).isEqualTo("tally@example.com");
            String body = GreenMailUtil.getBody(m);
            assertThat(body)
                    .contains("Error type: TRANSACTION_TAMPERED")
                    .contains("First corrupted transaction: t-2 (#3)")
                    .containsPattern("Findings: [1-9]")
                    .contains("Action taken: the whole ledger is frozen")
                    .contains("Verification history: " + CONSOLE + "/verifications");
            assertThat(s.server.ledger().reads().controls().frozen()).isTrue();
        } finally {
            smtp.stop();
        }
    }

    @Test
    void anAlertIsRetriedUntilTheMailServerComesUp() throws Exception {
        int port = freePort();
        try (Running s = Running.start(
                StoreKind.SQLITE, c -> c.withAudit(audit(AuditConfig.FailurePolicy.ALERT, mail(port, false))))) {
            String a = s.account("alice");
            String b = s.account("bob");
            s.mint(a, "100.00");
            s.http.post("/v1/transfers", s.service, AccountsApiTest.transfer("t-1", a, b, "1.00"));
            tamper(s, "t-1");
            assertThat(s.http.post("/v1/audit/verify", s.admin, null)
                            .json()
                            .get("valid")
                            .asBoolean())
                    .isFalse();
            // The first attempt found nothing listening; the server comes up while the retries back off.
            GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            try {
                awaitMessages(smtp, 2);
                assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0]))
                        .contains("First corrupted transaction: t-1");
            } finally {
                smtp.stop();
            }
            String page = consolePage(s, "/console/alerts");
            assertThat(page).contains("e-mail");
        }
    }

    @Test
    void aMailServerThatNeverAnswersDoesNotHoldUpTheLedger() throws Exception {
        ServerSocket tarpit = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try {
            List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread accepter = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(tarpit.accept()); // accepted, never greeted: the SMTP client waits
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            try (Running s = Running.start(
                    StoreKind.SQLITE,
                    c -> c.withAudit(audit(AuditConfig.FailurePolicy.ALERT, mail(tarpit.getLocalPort(), false))
                            .withEnabled(true)))) {
                String a = s.account("alice");
                String b = s.account("bob");
                s.mint(a, "100.00");
                s.http.post("/v1/transfers", s.service, AccountsApiTest.transfer("t-1", a, b, "1.00"));
                tamper(s, "t-1");
                // The verification answers, and the ledger keeps writing, while the e-mail is stuck on the server.
                assertThat(s.http.post("/v1/audit/verify", s.admin, null)
                                .json()
                                .get("valid")
                                .asBoolean())
                        .isFalse();
                for (int i = 2; i <= 4; i++) {
                    assertThat(s.http.post("/v1/transfers", s.service, AccountsApiTest.transfer("t-" + i, a, b, "1.00"))
                                    .status())
                            .isEqualTo(201);
                }
                assertThat(s.http.get("/console/login", null).status()).isEqualTo(200);
                await(() -> !held.isEmpty(), "the mail delivery is connected and waiting for a greeting");
                // Hanging up on the client ends the stuck delivery, so that the server stops without waiting for it.
                tarpit.close();
                for (Socket socket : held) {
                    socket.close();
                }
            }
            accepter.join(Duration.ofSeconds(5));
        } finally {
            tarpit.close();
        }
    }

    /** Waits for the server to have received {@code n} messages (one per recipient) in all. */
    private static void awaitMessages(GreenMail smtp, int n) throws InterruptedException {
        await(() -> smtp.getReceivedMessages().length >= n, n + " messages received");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A console page as the admin sees it. */
    private static String consolePage(Running s, String path) {
        ConsoleHttp c = new ConsoleHttp(s.server.port());
        assertThat(c.signIn(s.admin).statusCode()).isEqualTo(303);
        return c.get(path).body();
    }

    private static void tamper(Running s, String transactionId) {
        assertThat(StoreSql.execute(
                        s.store(),
                        "UPDATE ledger_entries SET amount_net = amount_net + 100 WHERE transaction_id = ?",
                        transactionId))
                .isEqualTo(1);
    }

    private static MailAlerts mail(int port, boolean withUser) {
        return new MailAlerts(
                "127.0.0.1",
                port,
                MailAlerts.Security.NONE,
                withUser ? Optional.of("tally-alerts") : Optional.empty(),
                withUser ? Optional.of("s3cret") : Optional.empty(),
                "tally@example.com",
                List.of("oncall@example.com", "security@example.com"),
                Optional.of(CONSOLE));
    }

    private static AuditConfig audit(AuditConfig.FailurePolicy policy, MailAlerts mail) {
        AuditConfig d = AuditConfig.DEFAULTS;
        return new AuditConfig(
                false,
                d.schedule(),
                d.fullSchedule(),
                d.zone(),
                policy,
                false,
                d.slowVerification(),
                d.slowVerificationEntries(),
                d.conflictRateThreshold(),
                d.conflictMinBatches(),
                d.conflictWindow(),
                List.of(),
                Duration.ofSeconds(5),
                8,
                Duration.ofMillis(50),
                Optional.empty(),
                Optional.of(mail));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
