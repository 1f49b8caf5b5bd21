package dev.tally.cli.text;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;

/** An entry as people read it: a headline ({@code TRANSFER 12.50 EUR alice -> bob}) and its fields. */
public final class EntryText {
    private EntryText() {}

    /** The headline and every field, one per line. */
    public static String describe(LedgerEntry e, Currency currency, Names names) {
        int scale = currency.scale();
        String code = " " + e.currency();
        StringBuilder out = new StringBuilder();
        out.append(e.type())
                .append(' ')
                .append(Money.format(e.amountGross(), scale))
                .append(code)
                .append("  ")
                .append(names.of(e.senderId()))
                .append(" -> ")
                .append(names.of(e.receiverId()));
        field(out, "transaction_id", e.transactionId());
        field(out, "seq", Long.toString(e.seq()));
        field(out, "gross", Money.format(e.amountGross(), scale) + code);
        field(
                out,
                "tax",
                Money.format(e.taxWithheld(), scale)
                        + code
                        + (e.taxKind() == TaxKind.NONE ? "" : " (" + e.taxKind() + ")"));
        field(out, "net", Money.format(e.amountNet(), scale) + code);
        e.reverses().ifPresent(r -> field(out, "reverses", r));
        field(out, "created_at", e.createdAt().toString());
        e.actor().ifPresent(a -> field(out, "actor", a));
        e.ipAddress().ifPresent(ip -> field(out, "ip_address", ip));
        e.userAgent().ifPresent(ua -> field(out, "user_agent", ua));
        field(out, "previous_hash", e.previousHash().hex());
        field(out, "current_hash", e.currentHash().hex());
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("\n  ")
                .append(name)
                .append(" ".repeat(Math.max(1, 16 - name.length())))
                .append(value);
    }
}
