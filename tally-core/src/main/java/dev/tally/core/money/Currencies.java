package dev.tally.core.money;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable set of currencies a ledger accepts. EUR is present by default; game currencies are added
 * by configuration. A currency not in this set is rejected as unknown.
 */
public final class Currencies {
    private final Map<String, Currency> byCode;

    private Currencies(Map<String, Currency> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    /** EUR only. */
    public static Currencies defaults() {
        return of(List.of(Currency.EUR));
    }

    /** Exactly the given currencies; codes must be unique. */
    public static Currencies of(Collection<Currency> currencies) {
        Map<String, Currency> map = new LinkedHashMap<>();
        for (Currency c : currencies) {
            if (map.put(c.code(), c) != null) {
                throw new IllegalArgumentException("duplicate currency " + c.code());
            }
        }
        return new Currencies(map);
    }

    /** These currencies plus one more. */
    public Currencies with(Currency currency) {
        Map<String, Currency> map = new LinkedHashMap<>(byCode);
        map.put(currency.code(), currency);
        return new Currencies(map);
    }

    public Optional<Currency> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    public Collection<Currency> all() {
        return byCode.values();
    }
}
