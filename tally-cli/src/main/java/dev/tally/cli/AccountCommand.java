package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.text.TextTable;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.money.Money;
import dev.tally.core.store.AccountQuery;
import dev.tally.json.Views;
import dev.tally.ledger.AsOf;
import dev.tally.ledger.BalancesAsOf;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerReads;
import dev.tally.ledger.ReplicaConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally account ...}: open, show, list, freeze, unfreeze and update accounts. */
@Command(
        name = "account",
        description = "Open, show, list, freeze and update accounts.",
        subcommands = {
            AccountCommand.Create.class,
            AccountCommand.Show.class,
            AccountCommand.ListAccounts.class,
            AccountCommand.Freeze.class,
            AccountCommand.Unfreeze.class,
            AccountCommand.UpdateEmail.class,
            AccountCommand.SetLimit.class,
        })
final class AccountCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "an account command is required (see 'tally account --help')");
    }

    /** Prints one account, as JSON or text. */
    abstract static class AccountOutput extends LedgerCommand {
        void show(Ledger ledger, Account a) {
            show(ledger.reads(), a);
        }

        void show(LedgerReads reads, Account a) {
            Map<String, Money> balances = reads.balances(a.id());
            if (json()) {
                printJson(Views.withLimits(Views.account(a, balances), a.limits(), reads::currencyOrScale));
                return;
            }
            StringBuilder out = new StringBuilder(a.username())
                    .append("  (")
                    .append(a.role())
                    .append(')');
            field(out, "id", a.id().toString());
            field(out, "email", a.email());
            field(
                    out,
                    "frozen",
                    a.frozenForFraud()
                            ? "yes, since " + a.frozenAt().map(Object::toString).orElse("?")
                                    + a.frozenReason().map(r -> ": " + r).orElse("")
                            : "no");
            field(out, "version", Long.toString(a.version()));
            field(out, "created_at", a.createdAt().toString());
            field(out, "updated_at", a.updatedAt().toString());
            field(out, "balances", balancesText(balances));
            if (!a.limits().isEmpty()) {
                field(out, "limits", limitsText(reads, a));
            }
            print(out.toString());
        }

        static void field(StringBuilder out, String name, String value) {
            out.append("\n  ")
                    .append(name)
                    .append(" ".repeat(Math.max(1, 12 - name.length())))
                    .append(value);
        }
    }

    /** {@code EUR credit 50.00 max 1000.00, GOLD credit 0 max none}. */
    static String limitsText(LedgerReads reads, Account a) {
        return a.limits().byCurrency().entrySet().stream()
                .map(e -> {
                    int scale = reads.currencyOrScale(e.getKey()).scale();
                    return e.getKey() + " credit " + Money.format(e.getValue().creditLimit(), scale) + " max "
                            + e.getValue()
                                    .maxBalance()
                                    .map(m -> Money.format(m, scale))
                                    .orElse("none");
                })
                .collect(Collectors.joining(", "));
    }

    @Command(
            name = "limit",
            description = "Set an account's credit limit and max balance in one currency (admin: a credit limit lets"
                    + " the account spend money it does not hold).")
    static final class SetLimit extends AccountOutput {
        @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
        String account;

        @Option(names = "--currency", required = true, paramLabel = "CODE", description = "A currency of the ledger.")
        String currency;

        @Option(
                names = "--credit-limit",
                paramLabel = "AMOUNT",
                defaultValue = "0",
                description = "How far below zero the balance may go (default: ${DEFAULT-VALUE}, no overdraft).")
        String creditLimit;

        @Option(
                names = "--max-balance",
                paramLabel = "AMOUNT",
                description = "The most the account may hold in this currency (default: no cap).")
        Optional<String> maxBalance;

        @Option(
                names = "--expected-version",
                paramLabel = "V",
                description = "The version you read (see 'account show'); a stale one is VERSION_CONFLICT.")
        Optional<Long> expectedVersion;

        @Override
        protected Ledger open(String location) {
            return withRecordedCurrencies(super.open(location), location);
        }

        @Override
        protected int run(Ledger ledger) {
            String code = currency.toUpperCase(java.util.Locale.ROOT);
            dev.tally.core.account.AccountLimit limit = new dev.tally.core.account.AccountLimit(
                    minorOrZero(ledger, creditLimit, code), maxBalance.map(m -> minorOrZero(ledger, m, code)));
            show(ledger, ledger.setAccountLimit(ledger.reads().resolve(account), code, limit, expectedVersion));
            return ExitCodes.OK;
        }

        private static long minorOrZero(Ledger ledger, String amount, String code) {
            return amount.matches("0(\\.0+)?") ? 0 : ledger.money(amount, code).minor();
        }
    }

    /** {@code EUR 90.00, GOLD 5}, or {@code none}. */
    static String balancesText(Map<String, Money> balances) {
        return balances.isEmpty()
                ? "none"
                : balances.values().stream()
                        .sorted((x, y) ->
                                x.currency().code().compareTo(y.currency().code()))
                        .map(m -> m.currency().code() + " " + m.toDecimalString())
                        .collect(Collectors.joining(", "));
    }

    @Command(name = "create", description = "Open an account with no balance.")
    static final class Create extends AccountOutput {
        @Option(
                names = "--username",
                required = true,
                paramLabel = "U",
                description = "1-64 letters, digits, '_', '.', '-'.")
        String username;

        @Option(names = "--email", required = true, paramLabel = "E", description = "Unique, case-insensitive.")
        String email;

        @Option(
                names = "--role",
                paramLabel = "R",
                defaultValue = "USER",
                description = "USER, ADMIN or SYSTEM (default: ${DEFAULT-VALUE}).")
        Role role;

        @Override
        protected int run(Ledger ledger) {
            show(ledger, ledger.createAccount(username, email, role));
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show an account and its balances.")
    static final class Show extends AccountOutput {
        @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
        String account;

        @Mixin
        private ReplicaOptions replica = new ReplicaOptions();

        @Option(
                names = "--as-of",
                paramLabel = "SEQ|TIME",
                description = "The balances just after this entry (its seq) or time (ISO-8601 with an offset,"
                        + " e.g. 2026-03-01T00:00:00Z) instead of now.")
        Optional<String> asOf;

        @Override
        protected Optional<ReplicaConfig> replicaConfig() {
            return replica.config();
        }

        @Override
        protected int run(Ledger ledger) {
            LedgerReads reads = readSide(ledger).reads();
            Account a = account(reads, account);
            if (asOf.isEmpty()) {
                show(reads, a);
                return ExitCodes.OK;
            }
            AsOf point;
            try {
                point = AsOf.parse(asOf.get());
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--as-of: " + e.getMessage());
            }
            showAsOf(a, reads.balancesAsOf(a.id(), point));
            return ExitCodes.OK;
        }

        private void showAsOf(Account a, BalancesAsOf past) {
            if (json()) {
                ObjectNode o = Views.account(a, past.available());
                o.put("as_of_seq", past.seq());
                o.set("available", Views.balances(past.available()));
                o.set("pending_out", Views.balances(past.pendingOut()));
                o.set("pending_in", Views.balances(past.pendingIn()));
                printJson(o);
                return;
            }
            StringBuilder out = new StringBuilder(a.username())
                    .append("  (")
                    .append(a.role())
                    .append(')');
            field(out, "id", a.id().toString());
            field(out, "as_of", "just after entry #" + past.seq());
            field(out, "balances", balancesText(past.available()));
            field(out, "pending_out", balancesText(nonZero(past.pendingOut())));
            field(out, "pending_in", balancesText(nonZero(past.pendingIn())));
            print(out.toString());
        }

        private static Map<String, Money> nonZero(Map<String, Money> amounts) {
            return amounts.entrySet().stream()
                    .filter(e -> e.getValue().minor() != 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }

    @Command(name = "freeze", description = "Freeze an account for fraud: it can no longer send money.")
    static final class Freeze extends AccountOutput {
        @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
        String account;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why (kept with the account).")
        String reason;

        @Override
        protected int run(Ledger ledger) {
            show(ledger, ledger.freezeAccount(ledger.reads().resolve(account), reason));
            return ExitCodes.OK;
        }
    }

    @Command(name = "unfreeze", description = "Lift an account's fraud freeze.")
    static final class Unfreeze extends AccountOutput {
        @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
        String account;

        @Override
        protected int run(Ledger ledger) {
            show(ledger, ledger.unfreezeAccount(ledger.reads().resolve(account)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "update-email",
            description = "Change an account's e-mail if it is still at the expected version (optimistic concurrency).")
    static final class UpdateEmail extends AccountOutput {
        @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
        String account;

        @Option(names = "--email", required = true, paramLabel = "E", description = "The new address.")
        String email;

        @Option(
                names = "--expected-version",
                required = true,
                paramLabel = "V",
                description = "The version you read (see 'account show'); a stale one is VERSION_CONFLICT.")
        long expectedVersion;

        @Override
        protected int run(Ledger ledger) {
            show(ledger, ledger.updateEmail(ledger.reads().resolve(account), email, expectedVersion));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List accounts in id order, a page at a time.")
    static final class ListAccounts extends LedgerCommand {
        @Option(names = "--frozen", description = "Only accounts frozen for fraud.")
        boolean frozen;

        @Option(
                names = "--role",
                paramLabel = "R",
                description = "Only accounts with this role: USER, ADMIN or SYSTEM.")
        Optional<Role> role;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "Page size, 1-" + AccountQuery.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--after",
                paramLabel = "ID",
                description = "Start after this account id (the last one of the previous page).")
        Optional<String> after;

        @Override
        protected int run(Ledger ledger) {
            if (limit < 1 || limit > AccountQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + AccountQuery.MAX_LIMIT);
            }
            Optional<UUID> afterId = after.map(a -> parseId(ledger, a));
            // One more than asked tells whether there is a next page without a second query.
            int fetch = Math.min(limit + 1, AccountQuery.MAX_LIMIT);
            AccountQuery query = new AccountQuery(frozen ? Optional.of(true) : Optional.empty(), role, afterId, fetch);
            List<Account> found = ledger.reads().listAccounts(query);
            List<Account> page = found.subList(0, Math.min(limit, found.size()));
            boolean more = found.size() > limit || (limit == AccountQuery.MAX_LIMIT && found.size() == limit);
            Optional<String> next =
                    more ? Optional.of(page.get(page.size() - 1).id().toString()) : Optional.empty();
            if (json()) {
                ArrayNode accounts = Views.array();
                page.forEach(a -> accounts.add(Views.account(a, ledger.reads().balances(a.id()))));
                ObjectNode o = Views.object();
                o.set("accounts", accounts);
                next.ifPresentOrElse(n -> o.put("next_after", n), () -> o.putNull("next_after"));
                printJson(o);
                return ExitCodes.OK;
            }
            TextTable table = new TextTable("ID", "USERNAME", "ROLE", "FROZEN", "VERSION", "BALANCES");
            page.forEach(a -> table.add(
                    a.id(),
                    a.username(),
                    a.role(),
                    a.frozenForFraud() ? "yes" : "no",
                    a.version(),
                    balancesText(ledger.reads().balances(a.id()))));
            print(page.isEmpty() ? "no accounts" : table.render());
            next.ifPresent(n -> print("next page: --after " + n));
            return ExitCodes.OK;
        }

        private static UUID parseId(Ledger ledger, String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException notAnId) {
                return ledger.reads().resolve(text);
            }
        }
    }
}
