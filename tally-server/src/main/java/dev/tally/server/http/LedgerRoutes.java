package dev.tally.server.http;

import dev.tally.core.engine.LedgerControls;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The ledger as a whole: treasury, supply, and the ledger-wide freeze (the seed's {@code freezeAllTransactions}). */
final class LedgerRoutes {
    private LedgerRoutes() {}

    static List<Route> routes() {
        return List.of(
                new Route(
                        "GET",
                        "/v1/treasury",
                        Access.READ,
                        "The treasury's balances and tax totals",
                        LedgerRoutes::treasury),
                new Route(
                        "GET",
                        "/v1/supply",
                        Access.READ,
                        "Minted, burned and circulating money per currency",
                        LedgerRoutes::supply),
                new Route(
                        "GET",
                        "/v1/admin/ledger-freeze",
                        Access.READ,
                        "Whether the ledger is frozen",
                        LedgerRoutes::controls),
                new Route(
                        "POST",
                        "/v1/admin/ledger-freeze",
                        Access.ADMIN,
                        "Freeze every money movement",
                        c -> freeze(c, true)),
                new Route(
                        "DELETE",
                        "/v1/admin/ledger-freeze",
                        Access.ADMIN,
                        "Unfreeze the ledger",
                        c -> freeze(c, false)));
    }

    private static void treasury(Call call) {
        Ledger l = call.ledger();
        UUID id = l.rules().treasuryId();
        call.json(
                200,
                Views.treasury(id, l.reads().balances(id), l.reads().treasuryTotals(), l.reads()::currencyOrScale));
    }

    private static void supply(Call call) {
        call.json(200, Views.supply(call.ledger().reads().supply()));
    }

    private static void controls(Call call) {
        call.json(200, Views.controls(call.ledger().reads().controls()));
    }

    private static void freeze(Call call, boolean frozen) {
        JsonBody body = call.optionalBody().only("reason");
        Optional<String> reason = Inputs.reason(body);
        LedgerControls c = AdminOperations.setLedgerFrozen(call.server(), call.actor(), frozen, reason);
        call.json(200, Views.controls(c));
    }
}
