package dev.tally.bench;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Balance;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.StateView;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The values the benchmarks work on: a typical transfer entry, and committed state held in memory. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-02-11T14:23:00.123456Z");
    /** What an API call records: an API key's name, a client address, a browser's user agent. */
    static final EntryContext WEB = new EntryContext(
            Optional.of("api-key-1"), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0 (X11; Linux x86_64)"));

    private Fixtures() {}

    /** A sealed TRANSFER of 12.34 EUR with 1% tax, chained to a non-zero previous hash. */
    static LedgerEntry transfer() {
        return LedgerEntry.sealed(
                1_000_001,
                UUID.randomUUID().toString(),
                EntryType.TRANSFER,
                Optional.of(UUID.randomUUID()),
                Optional.of(UUID.randomUUID()),
                "EUR",
                1234,
                12,
                1222,
                EntryType.TRANSFER.taxKind(),
                NOW,
                WEB,
                Optional.empty(),
                Hash.ofHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    }

    /** Committed state in maps: what the sequencer's cache holds once it is warm. Read-only. */
    static final class MemoryState implements StateView {
        final Map<UUID, Account> accounts = new HashMap<>();
        final Map<BalanceKey, Balance> balances = new HashMap<>();

        UUID open(String name, long euros) {
            Account a = Account.open(UUID.randomUUID(), name, name + "@example.com", Role.USER, NOW);
            accounts.put(a.id(), a);
            balances.put(new BalanceKey(a.id(), "EUR"), new Balance(euros * 100, 1));
            return a.id();
        }

        @Override
        public Optional<Account> account(UUID id) {
            return Optional.ofNullable(accounts.get(id));
        }

        @Override
        public boolean usernameTaken(String username) {
            return false;
        }

        @Override
        public boolean emailTaken(String email) {
            return false;
        }

        @Override
        public Balance balance(BalanceKey key) {
            return balances.getOrDefault(key, Balance.NONE);
        }

        @Override
        public Balance treasuryTotal(TreasuryKey key) {
            return new Balance(1_000, 7);
        }

        @Override
        public Supply supply(String currency) {
            return Supply.NONE;
        }

        @Override
        public Optional<LedgerEntry> entry(String transactionId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> reversalOf(String originalTransactionId) {
            return Optional.empty();
        }

        @Override
        public ChainHead head() {
            return new ChainHead(
                    1_000_000, Hash.ofHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        }

        @Override
        public LedgerControls controls() {
            return LedgerControls.INITIAL;
        }
    }
}
