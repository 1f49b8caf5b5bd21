package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.server.config.AuditConfig;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium, driven through Selenium, against a real
 * {@code tally serve} on a temporary SQLite ledger. Each test saves a screenshot of the pages it visits in
 * {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String EVIL = "<script>alert('pwned')</script>";

    private static Running s;
    private static WebDriver browser;
    private static Path profile;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(
                    "the console's browser tests need Debian's chromium and chromium-driver: run scripts/install/chromium.sh");
        }
        Path keys = Files.createTempDirectory("tally-console-keys-");
        SignerKeys.Written signer = SignerKeys.generate(keys, "tally.example/console");
        CheckpointConfig checkpoints = new CheckpointConfig(signer.privateKey(), Optional.empty(), 1, Duration.ZERO);
        s = Running.start(StoreKind.SQLITE, c -> c.withCheckpoints(Optional.of(checkpoints)));
        alice = s.account("alice");
        String bob = s.account("bob");
        s.account("carol");
        s.mint(alice, "500.00");
        for (int i = 1; i <= 6; i++) {
            Response r =
                    s.http.post("/v1/transfers", s.service, AccountsApiTest.transfer("pay-" + i, alice, bob, "3.00"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(s.http.post("/v1/audit/verify", s.admin, null).status()).isEqualTo(200);
        }
        assertThat(s.http.post("/v1/audit/reconcile", s.admin, null).status()).isEqualTo(200);
        Response mallory = s.http.post(
                "/v1/accounts",
                s.admin,
                "{\"username\":\"mallory\",\"email\":\"m<script>alert(1)</script>@example.com\"}");
        assertThat(mallory.status()).as(mallory.toString()).isEqualTo(201);
        // Checkpoints are taken in the background: wait until one covers every entry.
        long entries = s.server.ledger().reads().head().seq();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (s.server
                                .ledger()
                                .log()
                                .merkleLog()
                                .latestCheckpoint()
                                .map(c -> c.size())
                                .orElse(0L)
                        < entries
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("tally-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1100",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (s != null) {
            s.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(url("/console/login"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void anAdminSignsInAndTheOverviewShowsTheRealHead() {
        signIn(s.admin);
        assertThat(browser.getTitle()).startsWith("Overview");
        var head = s.server.ledger().reads().head();
        assertThat(text("#head-entries")).isEqualTo(Long.toString(head.seq()));
        assertThat(text("#head-hash")).isEqualTo(head.hash().hex());
        assertThat(text("#checkpoint-size")).isNotEqualTo("-");
        assertThat(text("#last-verification")).startsWith("valid");
        assertThat(text("#last-reconciliation")).startsWith("valid");
        assertThat(browser.findElements(By.cssSelector("form.write"))).isNotEmpty();
        shot("overview");
        browser.get(url("/console/verifications"));
        assertThat(browser.findElements(By.cssSelector("#timing-chart circle.run-ok")))
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).hasSizeGreaterThanOrEqualTo(4);
        shot("verifications");
        browser.get(url("/console/accounts/alice"));
        assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).hasSize(7);
        shot("account");
        browser.get(url("/console/accounts/alice?direction=received"));
        assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).hasSize(1);
        browser.get(url("/console/keys"));
        shot("keys");
        browser.get(url("/console/alerts"));
        shot("alerts");
    }

    @Test
    void anAuditorSignsInSeesNoWriteControlAndAHandSentPostIsRefused() {
        signIn(s.auditor);
        for (String page : List.of(
                "/console",
                "/console/frozen",
                "/console/accounts",
                "/console/accounts/alice",
                "/console/verifications",
                "/console/transactions/pay-1",
                "/console/fraud",
                "/console/alerts")) {
            browser.get(url(page));
            assertThat(browser.findElements(By.cssSelector("form[method=post]:not(.signout)")))
                    .as("write controls on " + page)
                    .isEmpty();
        }
        assertThat(browser.findElements(By.linkText("API keys"))).isEmpty();
        browser.get(url("/console"));
        shot("overview-auditor");
        String token = browser.findElement(By.cssSelector("form.signout input[name=csrf]"))
                .getAttribute("value");
        String before = s.dump();
        assertThat(post("/console/ledger/freeze", "csrf=" + token + "&reason=auditor+tries"))
                .isEqualTo(403);
        assertThat(post("/console/accounts/freeze", "csrf=" + token + "&account=alice&reason=x"))
                .isEqualTo(403);
        assertThat(s.dump()).isEqualTo(before);
        assertThat(s.server.ledger().reads().controls().frozen()).isFalse();
    }

    @Test
    void aPostWithoutItsCsrfTokenIsRefused() {
        signIn(s.admin);
        String before = s.dump();
        assertThat(post("/console/ledger/freeze", "reason=no+token")).isEqualTo(403);
        assertThat(post("/console/ledger/freeze", "csrf=not-this-sessions-token&reason=wrong+token"))
                .isEqualTo(403);
        assertThat(s.dump()).isEqualTo(before);
    }

    @Test
    void freezingAnAccountFromTheUiListsItAsFrozenAndFreezesItInTheDatabase() {
        signIn(s.admin);
        browser.get(url("/console/frozen"));
        browser.findElement(By.id("freeze-account")).sendKeys("carol");
        browser.findElement(By.id("freeze-reason")).sendKeys("chargeback ring");
        submit(By.cssSelector("form.freeze-account button"));
        WebElement table = browser.findElement(By.id("frozen"));
        assertThat(table.getText()).contains("carol").contains("chargeback ring");
        shot("frozen");
        assertThat(StoreSql.scalar(s.store(), "SELECT is_frozen_for_fraud FROM accounts WHERE username = 'carol'"))
                .isEqualTo("1");
        String log = s.http.get("/v1/admin/actions", s.admin).body();
        assertThat(log).contains("FREEZE_ACCOUNT").contains("carol").contains("bootstrap-admin");
        submit(By.xpath("//tr[td/a[text()='carol']]//form[contains(@class,'unfreeze-account')]//button"));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> d.getTitle().startsWith("Account carol"));
        assertThat(StoreSql.scalar(s.store(), "SELECT is_frozen_for_fraud FROM accounts WHERE username = 'carol'"))
                .isEqualTo("0");
    }

    @Test
    void anAdminUnfreezesTheLedger() {
        Response frozen = s.http.post("/v1/admin/ledger-freeze", s.admin, "{\"reason\":\"incident 42\"}");
        assertThat(frozen.status()).isEqualTo(200);
        signIn(s.admin);
        assertThat(text("#freeze-reason")).isEqualTo("incident 42");
        shot("overview-frozen");
        submit(By.cssSelector("form.unfreeze-ledger button"));
        assertThat(browser.findElements(By.id("ledger-open"))).hasSize(1);
        assertThat(s.server.ledger().reads().controls().frozen()).isFalse();
        assertThat(s.http.get("/v1/admin/actions", s.admin).body()).contains("LEDGER_UNFREEZE");
    }

    @Test
    void theBrowserVerifiesAnInclusionProofAndRejectsATamperedOne() throws Exception {
        signIn(s.admin);
        browser.get(url("/console/transactions/pay-3"));
        assertThat(proofVerdict()).startsWith("VALID");
        assertThat(text("#transaction")).contains("pay-3");
        shot("transaction");
        try (TamperingProxy proxy = new TamperingProxy(s.server.port(), ConsoleBrowserTest::tamper)) {
            browser.get("http://127.0.0.1:" + proxy.port() + "/console/transactions/pay-3");
            assertThat(proofVerdict()).startsWith("INVALID");
            shot("transaction-tampered");
        }
    }

    @Test
    void markupInLedgerValuesIsShownAsText() {
        Response r = s.http.post(
                "/v1/accounts/mallory/freeze", s.admin, "{\"reason\":\"" + EVIL.replace("'", "\\u0027") + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        try {
            signIn(s.admin);
            browser.get(url("/console/accounts/mallory"));
            assertThat(text("#account"))
                    .contains("m<script>alert(1)</script>@example.com")
                    .contains(EVIL);
            assertThat(browser.findElements(By.tagName("script"))).hasSize(1);
            assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            shot("escaping");
            browser.get(url("/console/frozen"));
            assertThat(text("#frozen")).contains(EVIL);
            assertThat(browser.findElements(By.tagName("script"))).hasSize(1);
        } finally {
            s.http.post("/v1/accounts/mallory/unfreeze", s.admin, "{}");
        }
    }

    @Test
    void theTimingChartMarksAFailedVerificationAndTheOverviewShowsItsFreezeAndAlert() throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver();
                Running other = Running.start(
                        StoreKind.SQLITE,
                        c -> c.withAudit(AuditScheduleTest.audit(
                                hooks,
                                AuditConfig.FailurePolicy.FREEZE,
                                "UTC",
                                Duration.ofSeconds(30),
                                List.of("/slack"))))) {
            String a = other.account("dora");
            String b = other.account("eve");
            other.mint(a, "100.00");
            for (int i = 1; i <= 4; i++) {
                other.http.post("/v1/transfers", other.service, AccountsApiTest.transfer("t-" + i, a, b, "1.00"));
                assertThat(other.http
                                .post("/v1/audit/verify", other.admin, null)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(StoreSql.execute(
                            other.store(),
                            "UPDATE ledger_entries SET amount_net = amount_net + 100 WHERE transaction_id = ?",
                            "t-2"))
                    .isEqualTo(1);
            assertThat(other.http
                            .post("/v1/audit/verify", other.admin, null)
                            .json()
                            .get("valid")
                            .asBoolean())
                    .isFalse();
            hooks.await("/slack", Duration.ofSeconds(10));
            browser.get("http://127.0.0.1:" + other.server.port() + "/console/login");
            browser.findElement(By.id("api_key")).sendKeys(other.admin);
            submit(By.id("signin"));
            assertThat(browser.findElements(By.id("ledger-frozen"))).hasSize(1);
            assertThat(text("#last-verification")).startsWith("FAILED");
            assertThat(text("#recent-alerts")).contains("VERIFICATION_FAILED");
            shot("overview-failed");
            browser.get("http://127.0.0.1:" + other.server.port() + "/console/verifications");
            assertThat(browser.findElements(By.cssSelector("#timing-chart rect.run-failed")))
                    .hasSize(1);
            assertThat(browser.findElements(By.cssSelector("#runs tr.failed"))).hasSize(1);
            shot("verifications-failed");
            browser.get("http://127.0.0.1:" + other.server.port() + "/console/alerts");
            assertThat(text("table.alerts")).contains("slack webhook").contains("VERIFICATION_FAILED");
            shot("alerts-failed");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String url(String path) {
        return "http://127.0.0.1:" + s.server.port() + path;
    }

    private static void signIn(String key) {
        browser.get(url("/console/login"));
        browser.findElement(By.id("api_key")).sendKeys(key);
        submit(By.id("signin"));
        assertThat(browser.getCurrentUrl()).endsWith("/console");
    }

    /** Clicks a form's button and waits for the page the form leads to. */
    private static void submit(By button) {
        WebElement b = browser.findElement(button);
        b.click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(b));
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Sends a form POST from the page, as a script or a hand-made request would; answers the status. */
    private static long post(String path, String form) {
        Object status = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                                + " body: arguments[1], redirect: 'manual'}).then(r => done(r.status), e => done(-1));",
                        path,
                        form);
        return ((Number) status).longValue();
    }

    private static String proofVerdict() {
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> !d.findElement(By.id("proof-status")).getText().startsWith("checking"));
        return text("#proof-status");
    }

    /** The proof with its first sibling hash changed by one bit. */
    private static String tamper(String json) {
        try {
            ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(json);
            ArrayNode path = (ArrayNode) doc.get("proof").get("proof");
            byte[] first = java.util.Base64.getDecoder().decode(path.get(0).asText());
            first[0] ^= 1;
            path.set(0, java.util.Base64.getEncoder().encodeToString(first));
            return doc.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void shot(String name) {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
