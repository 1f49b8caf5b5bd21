package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.Views;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MoneyCommandsTest {
    private static String aliceAndBob(StoreKind kind, String mint) {
        String db = Cli.newLedger(kind);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", mint, "--currency", "EUR");
        return db;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void mintAndTransferKeepTheSupplyContract(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");

        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "12.50", "--currency", "EUR");

        assertThat(Cli.json(db, "supply")).isEqualTo(Views.read("""
                {"currencies":[{"currency":"EUR","minted":"100.00","burned":"0.00","circulating":"100.00","conserved":true}]}
                """));
        assertThat(Cli.json(db, "account", "show", "alice")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("87.50");
        assertThat(Cli.json(db, "account", "show", "bob")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("12.38");
        assertThat(Cli.json(db, "account", "show", "treasury")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("0.12");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEntryIsPrintedWithTheSeedsFieldNames(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");

        JsonNode e = Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "10",
                "--currency",
                "EUR",
                "--transaction-id",
                "order-1");

        List<String> names = new ArrayList<>();
        e.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "transaction_id",
                        "seq",
                        "type",
                        "status",
                        "sender_id",
                        "receiver_id",
                        "currency",
                        "amount_gross",
                        "tax_withheld",
                        "amount_net",
                        "tax_kind",
                        "created_at",
                        "actor",
                        "ip_address",
                        "user_agent",
                        "reverses_transaction_id",
                        "previous_hash",
                        "metadata",
                        "current_hash",
                        "replayed");
        assertThat(e.get("transaction_id").asText()).isEqualTo("order-1");
        assertThat(e.get("type").asText()).isEqualTo("TRANSFER");
        assertThat(e.get("amount_gross").asText()).isEqualTo("10.00");
        assertThat(e.get("tax_withheld").asText()).isEqualTo("0.10");
        assertThat(e.get("amount_net").asText()).isEqualTo("9.90");
        assertThat(e.get("tax_kind").asText()).isEqualTo("TRANSFER_TAX");
        assertThat(e.get("actor").asText()).startsWith("cli:");
        assertThat(e.get("current_hash").asText()).hasSize(64);
        assertThat(e.get("replayed").asBoolean()).isFalse();
        assertThat(Cli.json(db, "tx", "show", "order-1").get("current_hash")).isEqualTo(e.get("current_hash"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachPaymentTypeSendsItsTaxToTheTreasury(StoreKind kind) {
        String db = aliceAndBob(kind, "300.00");

        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "100",
                "--currency",
                "eur",
                "--type",
                "TRANSFER");
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "100",
                "--currency",
                "EUR",
                "--type",
                "purchase");
        JsonNode income = Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "100",
                "--currency",
                "EUR",
                "--type",
                "INCOME");

        assertThat(income.get("tax_kind").asText()).isEqualTo("INCOME_TAX");
        JsonNode totals = Cli.json(db, "treasury").get("tax_totals").get("EUR");
        assertThat(totals.get("TRANSFER_TAX").asText()).isEqualTo("1.00");
        assertThat(totals.get("VAT").asText()).isEqualTo("20.00");
        assertThat(totals.get("INCOME_TAX").asText()).isEqualTo("10.00");
        assertThat(Cli.json(db, "treasury").get("balances").get("EUR").asText()).isEqualTo("31.00");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSameTransactionIdAgainReturnsTheOriginalAndWritesNothing(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");
        String[] transfer = {
            "transfer",
            "--from",
            "alice",
            "--to",
            "bob",
            "--amount",
            "5",
            "--currency",
            "EUR",
            "--transaction-id",
            "tx-7"
        };
        JsonNode first = Cli.json(db, transfer);
        String before = Cli.dump(db);

        JsonNode again = Cli.json(db, transfer);

        assertThat(again.get("replayed").asBoolean()).isTrue();
        assertThat(again.get("seq")).isEqualTo(first.get("seq"));
        assertThat(again.get("current_hash")).isEqualTo(first.get("current_hash"));
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void burnDestroysMoneyAndTheSupplyStillAgrees(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");

        JsonNode burn = Cli.json(db, "burn", "--from", "alice", "--amount", "30", "--currency", "EUR");

        assertThat(burn.get("type").asText()).isEqualTo("BURN");
        JsonNode eur = Cli.json(db, "supply").get("currencies").get(0);
        assertThat(eur.get("burned").asText()).isEqualTo("30.00");
        assertThat(eur.get("circulating").asText()).isEqualTo("70.00");
        assertThat(eur.get("conserved").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reverseUndoesAPaymentWithANewEntry(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");
        Cli.json(
                db,
                "transfer",
                "--from",
                "alice",
                "--to",
                "bob",
                "--amount",
                "10",
                "--currency",
                "EUR",
                "--transaction-id",
                "t1");

        JsonNode reversal = Cli.json(db, "reverse", "t1", "--transaction-id", "undo-t1");

        assertThat(reversal.get("type").asText()).isEqualTo("REVERSAL");
        assertThat(reversal.get("reverses_transaction_id").asText()).isEqualTo("t1");
        assertThat(Cli.json(db, "account", "show", "alice")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("100.00");
        assertThat(Cli.json(db, "tx", "show", "t1").get("type").asText()).isEqualTo("TRANSFER");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFrozenLedgerRefusesMoneyButStillAnswersReads(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");
        assertThat(Cli.json(db, "ledger", "freeze", "--reason", "incident 42")
                        .get("frozen")
                        .asBoolean())
                .isTrue();
        String before = Cli.dump(db);

        Cli.on(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR")
                .failed(1, "tally: LEDGER_FROZEN: ");

        assertThat(Cli.dump(db)).isEqualTo(before);
        assertThat(Cli.json(db, "supply")
                        .get("currencies")
                        .get(0)
                        .get("conserved")
                        .asBoolean())
                .isTrue();
        assertThat(Cli.json(db, "ledger", "unfreeze").get("frozen").asBoolean()).isFalse();
        assertThat(Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "1", "--currency", "EUR")
                        .get("amount_net")
                        .asText())
                .isEqualTo("0.99");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theCommonOptionsMayComeBeforeTheCommand(StoreKind kind) {
        String db = aliceAndBob(kind, "100.00");

        Cli.Run run = Cli.run("--db", db, "--json", "supply");

        assertThat(run.json().get("currencies").get(0).get("minted").asText()).isEqualTo("100.00");
    }
}
