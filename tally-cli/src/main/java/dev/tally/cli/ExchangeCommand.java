package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.text.EntryText;
import dev.tally.cli.text.Names;
import dev.tally.core.command.Exchange;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally exchange}: converts an account's money of one currency into another at a stated rate, through
 * a market (liquidity) account, as two linked EXCHANGE entries ({@code ID.sell} and {@code ID.buy}).
 */
@CommandLine.Command(
        name = "exchange",
        description = "Exchange one currency for another through a market account, at a stated rate.",
        sortOptions = false)
final class ExchangeCommand extends MovementCommand {
    @Option(
            names = "--account",
            required = true,
            paramLabel = "ACCOUNT",
            order = 10,
            description = "The account whose money is exchanged (id or username).")
    String account;

    @Option(
            names = "--market",
            required = true,
            paramLabel = "ACCOUNT",
            order = 11,
            description = "The market (liquidity) account: a SYSTEM account (id or username).")
    String market;

    @Mixin
    AmountOptions amount;

    @Option(
            names = "--to-currency",
            required = true,
            paramLabel = "CODE",
            order = 30,
            description = "The currency the account receives.")
    String target;

    @Option(
            names = "--rate",
            required = true,
            paramLabel = "RATE",
            order = 31,
            description = "Units of the target currency per unit of the source, e.g. 2.5; the result is rounded down.")
    String rate;

    @Option(
            names = "--fee-bps",
            paramLabel = "N",
            defaultValue = "0",
            order = 32,
            description =
                    "The treasury's fee in basis points of the converted amount, 0-1000 (default: ${DEFAULT-VALUE}).")
    int feeBps;

    @Override
    protected Ledger open(String location) {
        return withRecordedCurrencies(super.open(location), location);
    }

    @Override
    protected int run(Ledger ledger) {
        BigDecimal parsedRate;
        try {
            parsedRate = new BigDecimal(rate);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rate must be a decimal such as 2.5, not " + rate);
        }
        String id = transactionId();
        boolean existed = ledger.reads().findEntry(Exchange.sellId(id)).isPresent();
        Exchange exchange = new Exchange(
                id,
                ledger.reads().resolve(account),
                ledger.reads().resolve(market),
                amount.money(ledger),
                ledger.currency(target.toUpperCase(Locale.ROOT)),
                parsedRate,
                feeBps,
                movementContext());
        List<LedgerEntry> legs = ledger.exchange(exchange);
        if (json()) {
            ObjectNode o = Views.object();
            o.put("transaction_id", id);
            o.put("rate", exchange.rateText());
            o.put("fee_bps", feeBps);
            ArrayNode entries = Views.entries(legs, ledger.reads()::currencyOrScale);
            o.set("entries", entries);
            o.put("replayed", existed);
            printJson(o);
        } else {
            StringBuilder out = new StringBuilder("exchange " + id + " at rate " + exchange.rateText());
            for (LedgerEntry e : legs) {
                out.append('\n')
                        .append(EntryText.describe(e, ledger.reads().currencyOrScale(e.currency()), new Names(ledger)));
            }
            if (existed) {
                out.append("\n(replayed: exchange ")
                        .append(id)
                        .append(" was already in the ledger; nothing new was written)");
            }
            print(out.toString());
        }
        return ExitCodes.OK;
    }
}
