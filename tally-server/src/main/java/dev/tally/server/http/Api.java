package dev.tally.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table of the HTTP API, in one list: what {@code tally serve} answers, what the OpenAPI
 * document describes, and what the auth-matrix test walks. Each group of routes lives with its handlers.
 */
public final class Api {
    private Api() {}

    /**
     * Every route.
     *
     * @param metrics who may read {@code /metrics}
     * @param openApi the document served at {@code /openapi.json}
     * @param mintGate what must hold before a mint (an incremental verification, when audits run)
     * @param extra routes of optional components (the audit endpoints)
     */
    public static List<Route> routes(Access metrics, JsonNode openApi, Runnable mintGate, List<Route> extra) {
        List<Route> all = new ArrayList<>();
        all.addAll(AccountRoutes.routes());
        all.addAll(MoneyRoutes.routes(mintGate::run));
        all.addAll(LedgerRoutes.routes());
        all.addAll(KeyRoutes.routes());
        all.addAll(FraudRoutes.routes());
        all.addAll(LimitAndExchangeRoutes.routes());
        all.addAll(extra);
        all.addAll(SystemRoutes.routes(metrics, openApi));
        return List.copyOf(all);
    }
}
