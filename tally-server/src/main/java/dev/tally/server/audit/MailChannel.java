package dev.tally.server.audit;

import dev.tally.server.config.MailAlerts;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Sends an alert as a plain-text e-mail through the configured SMTP server (Jakarta Mail, Eclipse Angus).
 * Every connection, read and write has the alert timeout, so a slow or silent server costs a delivery thread
 * at most that long per attempt and never the caller. Thread-safe.
 */
final class MailChannel {
    private final MailAlerts config;
    private final String ledger;
    private final Session session;

    MailChannel(MailAlerts config, String ledger, Duration timeout) {
        this.config = config;
        this.ledger = ledger;
        this.session = Session.getInstance(properties(config, timeout));
    }

    MailAlerts config() {
        return config;
    }

    /** Sends one alert; throws when the server refused it or could not be reached. */
    void send(Alert alert) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(config.from(), true));
        for (String to : config.to()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        m.setSubject(subject(alert), StandardCharsets.UTF_8.name());
        m.setSentDate(Date.from(alert.at()));
        m.setHeader("X-Tally-Alert", alert.kind().name());
        m.setText(body(alert), StandardCharsets.UTF_8.name());
        if (config.user().isPresent()) {
            Transport.send(m, config.user().get(), config.password().orElse(""));
        } else {
            Transport.send(m);
        }
    }

    String subject(Alert a) {
        return "[Tally " + a.kind().severity().toUpperCase(java.util.Locale.ROOT) + "] " + a.title() + " ("
                + a.kind().name() + ")";
    }

    /**
     * The message: what happened and what Tally did, then for a failed verification what an on-call admin needs
     * first (the error type, the first corrupted transaction, how many findings) and where to look next.
     */
    String body(Alert a) {
        StringBuilder b = new StringBuilder(1024);
        b.append(a.title()).append("\n\n").append(a.message()).append("\n\n");
        if (a.kind() == Alert.Kind.VERIFICATION_FAILED) {
            Map<String, Object> d = a.details();
            line(b, "Error type", String.valueOf(d.getOrDefault("error_type", "unknown")));
            line(b, "First corrupted transaction", corrupted(d.getOrDefault("corrupted_transaction", "")));
            line(b, "Findings", Long.toString(findings(d)));
        }
        line(b, "Action taken", a.action());
        config.consoleUrl().ifPresent(url -> line(b, "Verification history", stripSlash(url) + "/verifications"));
        line(b, "Ledger", ledger);
        line(b, "At", a.at().toString());
        b.append("\n-- \nSent by Tally's alerting (kind ")
                .append(a.kind().name())
                .append(", severity ")
                .append(a.kind().severity())
                .append(").\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(label).append(": ").append(value).append('\n');
    }

    private static String corrupted(Object value) {
        if (value instanceof Map<?, ?> m && m.get("transaction_id") != null) {
            Object index = m.get("index");
            return m.get("transaction_id") + (index == null ? "" : " (#" + (((Number) index).longValue() + 1) + ")");
        }
        return "none named";
    }

    private static long findings(Map<String, Object> d) {
        long listed = d.get("findings") instanceof List<?> l ? l.size() : 0;
        long more = d.get("findings_truncated") instanceof Number n ? n.longValue() : 0;
        return listed + more;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Properties properties(MailAlerts c, Duration timeout) {
        Properties p = new Properties();
        String ms = Long.toString(Math.max(1, timeout.toMillis()));
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", c.host());
        p.put("mail.smtp.port", Integer.toString(c.port()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", Boolean.toString(c.user().isPresent()));
        // The EHLO name: without one, Jakarta Mail resolves this host's canonical name, which can stall for long on
        // a machine without working reverse DNS; the sender's domain names the sending system well enough.
        p.put("mail.smtp.localhost", c.from().substring(c.from().lastIndexOf('@') + 1));
        // The Message-ID's address likewise: mail.from spares Jakarta Mail a lookup of this host's name.
        p.put("mail.from", c.from());
        switch (c.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> {}
        }
        return p;
    }
}
