package dev.tally.cli.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.Actors;
import dev.tally.cli.CliException;
import dev.tally.cli.CommonOptions;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.Failures;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.text.TextTable;
import dev.tally.core.store.ApiKeyStore;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.server.auth.AdminLog;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import dev.tally.server.json.KeyViews;
import dev.tally.store.NoLedgerException;
import dev.tally.store.OpenMode;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally apikey create|revoke|list}: the API keys of {@code tally serve}. A created key is printed
 * once; the database keeps only its SHA-256. Creation and revocation are recorded in the admin log under
 * the CLI's actor ({@code cli:<OS user>}).
 */
@Command(
        name = "apikey",
        description = "Create, revoke and list the API keys of 'tally serve'.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.Revoke.class, ApiKeyCommand.ListKeys.class})
public final class ApiKeyCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "an apikey command is required (see 'tally apikey --help')");
    }

    /** Opens the existing store (migrating it), runs, closes, and maps failures to one line and an exit code. */
    abstract static class KeyCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandLine.Model.CommandSpec spec;

        abstract int run(ApiKeys keys, AdminLog log) throws Exception;

        @Override
        public final Integer call() {
            try (LedgerStore store = open()) {
                return run(ApiKeys.of(store), AdminLog.of(store));
            } catch (Exception | AssertionError e) {
                return Failures.report(err(), e);
            }
        }

        private LedgerStore open() {
            try {
                return Stores.open(common.location(), StoreOptions.DEFAULTS.withOpenMode(OpenMode.EXISTING));
            } catch (NoLedgerException e) {
                throw LedgerCommand.noLedger(common.location(), e);
            } catch (RuntimeException e) {
                throw LedgerCommand.cannotOpen(common.location(), e);
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "create", description = "Create a key and print it once (only its hash is stored).")
    static final class Create extends KeyCommand {
        @Option(
                names = "--role",
                required = true,
                paramLabel = "ROLE",
                description =
                        "admin (everything), service (accounts, transfers, reads) or auditor (reads, verification; never a write).")
        String role;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Who uses it; recorded as the actor of its entries. Default: ROLE-<random>.")
        String name;

        @Override
        int run(ApiKeys keys, AdminLog log) {
            ApiRole r = ApiRole.parse(role)
                    .orElseThrow(() ->
                            new CliException(ExitCodes.USAGE, "--role must be admin, service or auditor, not " + role));
            String n = Optional.ofNullable(name)
                    .filter(s -> !s.isBlank())
                    .orElseGet(() -> r.label() + "-"
                            + HexFormat.of().toHexDigits((short)
                                    ThreadLocalRandom.current().nextInt()));
            if (keys.findActive(n).isPresent()) {
                // A name in use is the ledger's state, not a mistake in the command: exit 1, as the API's 409.
                throw new CliException(
                        ExitCodes.REJECTED,
                        "DUPLICATE_KEY_NAME: a live key named " + n
                                + " exists; revoke it first or choose another name");
            }
            Instant now = Instant.now();
            IssuedKey issued = keys.issue(n, r, now);
            log.record(now, Actors.cliActor(), "APIKEY_CREATE", Optional.of(n), Optional.of("role " + r.label()));
            if (common.json()) {
                ObjectNode o = KeyViews.apiKey(issued.key());
                o.put("secret", issued.secret());
                out().println(Views.write(o));
            } else {
                out().println("Created " + r.label() + " key '" + n
                        + "'. Copy it now: it is not stored and cannot be shown again.");
                out().println();
                out().println("    " + issued.secret());
                out().println();
                out().println("Send it as 'Authorization: Bearer KEY'. Revoke it with 'tally apikey revoke " + n
                        + "'.");
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "revoke",
            description =
                    "Revoke a key; a running 'tally serve' refuses it within a second (revoking through its API: at once).")
    static final class Revoke extends KeyCommand {
        @Parameters(paramLabel = "NAME", description = "The key's name (see 'tally apikey list').")
        String name;

        @Option(
                names = "--allow-last-admin",
                description =
                        "Revoke even the last live admin key; the next 'tally serve' then prints a new one (recovery when that key leaked).")
        boolean allowLastAdmin;

        @Override
        int run(ApiKeys keys, AdminLog log) {
            Instant now = Instant.now();
            ApiKeyStore.Revocation outcome =
                    allowLastAdmin ? revokeAny(keys, now) : keys.revokeUnlessLastAdmin(name, now);
            switch (outcome) {
                case REVOKED -> {}
                case NO_LIVE_KEY -> throw new CliException(ExitCodes.REJECTED, "NOT_FOUND: no live key named " + name);
                case LAST_OF_ROLE ->
                    throw new CliException(
                            ExitCodes.REJECTED,
                            "LAST_ADMIN_KEY: revoking " + name
                                    + " would leave no admin key; create another admin key first, or pass --allow-last-admin");
            }
            log.record(now, Actors.cliActor(), "APIKEY_REVOKE", Optional.of(name), Optional.empty());
            out().println(
                            common.json()
                                    ? Views.write(Views.object().put("revoked", name))
                                    : "Revoked key '" + name + "'.");
            out().flush();
            return ExitCodes.OK;
        }

        private ApiKeyStore.Revocation revokeAny(ApiKeys keys, Instant now) {
            return keys.revoke(name, now) ? ApiKeyStore.Revocation.REVOKED : ApiKeyStore.Revocation.NO_LIVE_KEY;
        }
    }

    @Command(name = "list", description = "List keys (never their secrets).")
    static final class ListKeys extends KeyCommand {
        @Option(names = "--all", description = "Include revoked keys.")
        boolean all;

        @Override
        int run(ApiKeys keys, AdminLog log) {
            List<ApiKey> list =
                    keys.list().stream().filter(k -> all || k.active()).toList();
            if (common.json()) {
                ArrayNode a = Views.array();
                list.forEach(k -> a.add(KeyViews.apiKey(k)));
                ObjectNode o = Views.object();
                o.set("api_keys", a);
                out().println(Views.write(o));
            } else if (list.isEmpty()) {
                out().println("no keys (the first 'tally serve' creates an admin key)");
            } else {
                TextTable t = new TextTable("NAME", "ROLE", "CREATED", "REVOKED");
                list.forEach(k -> t.add(
                        k.name(),
                        k.role().label(),
                        k.createdAt(),
                        k.revokedAt().map(Object::toString).orElse("-")));
                out().println(t.render());
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}
