package dev.tally.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.config.Webhook;
import dev.tally.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to the configured webhooks, each in its format: Tally's generic JSON, a Slack or a
 * Discord incoming-webhook message, and by e-mail when an SMTP server is configured. Every delivery has its own timeout and is retried with exponential
 * backoff; an alert is always logged too, so that no webhook outage hides it. Deliveries run on virtual
 * threads and never block the audit that raised them. Thread-safe.
 */
public final class Alerter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alerter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Discord refuses longer message contents and descriptions. */
    private static final int DISCORD_CONTENT = 2000;

    private static final int DISCORD_DESCRIPTION = 4096;
    private final AuditConfig config;
    private final String ledger;
    private final ServerMetrics metrics;
    private final HttpClient http;
    private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tally-alert-", 0).factory());
    private final Duration baseBackoff;
    private final SentAlerts sent = new SentAlerts(200);
    private final java.util.Optional<MailChannel> mail;

    /**
     * @param ledger which ledger this is, for people reading the alert (no secrets: pass a redacted description)
     * @param baseBackoff the first retry's delay; it doubles per retry
     */
    public Alerter(AuditConfig config, String ledger, ServerMetrics metrics, Duration baseBackoff) {
        this.config = config;
        this.ledger = ledger;
        this.metrics = metrics;
        this.baseBackoff = baseBackoff;
        this.mail = config.mail().map(m -> new MailChannel(m, ledger, config.webhookTimeout()));
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.webhookTimeout())
                .executor(deliveries)
                .build();
    }

    /** Logs the alert and starts its deliveries; the future completes when every webhook has answered or given up. */
    public CompletableFuture<Void> send(Alert alert) {
        if (alert.kind().severity().equals("critical")) {
            LOG.error("ALERT {}: {} - {} ({})", alert.kind(), alert.title(), alert.message(), alert.action());
        } else {
            LOG.warn("ALERT {}: {} - {} ({})", alert.kind(), alert.title(), alert.message(), alert.action());
        }
        sent.add(delivery(alert, "log", true));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Webhook w : config.webhooks()) {
            all.add(CompletableFuture.runAsync(() -> deliver(w, alert), deliveries));
        }
        mail.ifPresent(m -> all.add(CompletableFuture.runAsync(() -> deliver(m, alert), deliveries)));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private void deliver(Webhook w, Alert alert) {
        String body = payload(w.format(), alert);
        for (int attempt = 0; attempt <= config.webhookRetries(); attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(w.url())
                        .timeout(config.webhookTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "tally-alerts")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    metrics.alert(alert.kind().name(), true);
                    sent.add(delivery(alert, w.format().name().toLowerCase(java.util.Locale.ROOT) + " webhook", true));
                    return;
                }
                LOG.warn(
                        "webhook {} answered {} to alert {} (attempt {})",
                        w,
                        r.statusCode(),
                        alert.kind(),
                        attempt + 1);
            } catch (IOException e) {
                LOG.warn("webhook {} failed for alert {} (attempt {}): {}", w, alert.kind(), attempt + 1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (attempt < config.webhookRetries() && !sleep(baseBackoff.multipliedBy(1L << Math.min(attempt, 10)))) {
                break;
            }
        }
        metrics.alert(alert.kind().name(), false);
        sent.add(delivery(alert, w.format().name().toLowerCase(java.util.Locale.ROOT) + " webhook", false));
        LOG.error("webhook {} never accepted alert {}; it is in this log only", w, alert.kind());
    }

    /** Sends the alert by e-mail, retried as a webhook delivery is. */
    private void deliver(MailChannel m, Alert alert) {
        for (int attempt = 0; attempt <= config.webhookRetries(); attempt++) {
            try {
                m.send(alert);
                LOG.info("alert {} e-mailed through {}", alert.kind(), m.config());
                metrics.alert(alert.kind().name(), true);
                sent.add(delivery(alert, "e-mail", true));
                return;
            } catch (jakarta.mail.MessagingException | RuntimeException e) {
                LOG.warn(
                        "e-mail to {} failed for alert {} (attempt {}): {}",
                        m.config(),
                        alert.kind(),
                        attempt + 1,
                        e.toString());
            }
            if (attempt < config.webhookRetries() && !sleep(baseBackoff.multipliedBy(1L << Math.min(attempt, 10)))) {
                break;
            }
        }
        metrics.alert(alert.kind().name(), false);
        sent.add(delivery(alert, "e-mail", false));
        LOG.error("e-mail server {} never accepted alert {}; it is in this log only", m.config(), alert.kind());
    }

    /** The newest deliveries (the log's, which always succeed, and each channel's final result). */
    public SentAlerts sent() {
        return sent;
    }

    private static SentAlerts.Delivery delivery(Alert a, String channel, boolean delivered) {
        return new SentAlerts.Delivery(a.at(), a.kind().name(), a.kind().severity(), a.title(), channel, delivered);
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The body of an alert in a webhook format. */
    String payload(Webhook.Format format, Alert a) {
        ObjectNode o = JSON.createObjectNode();
        String icon = a.kind().severity().equals("critical") ? "\uD83D\uDEA8" : "\u26A0\uFE0F";
        switch (format) {
            case GENERIC -> {
                o.put("source", "tally");
                o.put("kind", a.kind().name());
                o.put("severity", a.kind().severity());
                o.put("title", a.title());
                o.put("message", a.message());
                o.put("action", a.action());
                o.put("at", a.at().toString());
                o.put("ledger", ledger);
                o.set("details", JSON.valueToTree(a.details()));
            }
            case SLACK ->
                o.put(
                        "text",
                        icon + " *" + a.title() + "*\n" + a.message() + "\n_" + a.action() + "_ · " + ledger + " · "
                                + a.at());
            case DISCORD -> {
                o.put("content", clip(icon + " **" + a.title() + "**", DISCORD_CONTENT));
                ArrayNode embeds = o.putArray("embeds");
                ObjectNode e = embeds.addObject();
                e.put("title", clip(a.kind().name(), 256));
                e.put("description", clip(a.message() + "\n\n" + a.action() + " · " + ledger, DISCORD_DESCRIPTION));
                e.put("color", a.kind().severity().equals("critical") ? 0xE74C3C : 0xF39C12);
                e.put("timestamp", a.at().toString());
            }
            default -> throw new AssertionError(format);
        }
        return o.toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** Gives deliveries in progress a moment to finish (a graceful stop should not drop a fresh alert). */
    @Override
    public void close() {
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(config.webhookTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deliveries.shutdownNow();
        }
        http.close();
    }
}
