package dev.tally.core.audit;

import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.TaxKind;

/**
 * The rules every stored entry must keep, whoever wrote it: the entry arithmetic of the seed (gross = tax +
 * net, positive amounts), a known currency, and the shape the engine gives each type (a MINT has a receiver
 * and no sender, a payment two different parties, and so on). One function for both the fast and the full
 * check, so that they cannot disagree. Allocation-free: it runs once per row.
 */
final class EntryRules {
    /** What is wrong with an entry, or {@link #NONE}. */
    enum Problem {
        NONE(""),
        UNKNOWN_CURRENCY("its currency is not enabled in this ledger"),
        GROSS_NOT_POSITIVE("amount_gross must be positive"),
        NEGATIVE_TAX("tax_withheld must not be negative"),
        NEGATIVE_NET("amount_net must not be negative"),
        ARITHMETIC("amount_gross must equal tax_withheld + amount_net"),
        TAX_WITHOUT_KIND("tax is withheld but tax_kind is NONE"),
        MINT_SHAPE("a MINT has a receiver, no sender and no tax"),
        BURN_SHAPE("a BURN has a sender, no receiver and no tax"),
        PAYMENT_SHAPE("a payment moves money between two different accounts"),
        PAYMENT_TAX_KIND("a payment's tax_kind must be the one of its type"),
        REVERSAL_SHAPE("a REVERSAL names the entry it undoes and at least one account"),
        REVERSES_ON_NON_REVERSAL("only a REVERSAL, POST_PENDING or VOID_PENDING may name another entry"),
        PENDING_SHAPE("a PENDING moves money between two different accounts, withholds no tax and names the"
                + " payment's tax kind"),
        SETTLEMENT_SHAPE("a POST_PENDING or VOID_PENDING names its pending entry, two different accounts, and"
                + " tax + net no greater than gross (a void: none)"),
        EXCHANGE_SHAPE("an EXCHANGE moves money between two different accounts, and withholds tax only as an"
                + " EXCHANGE_FEE");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private EntryRules() {}

    static Problem check(
            EntryType type,
            boolean hasSender,
            boolean hasReceiver,
            boolean sameParty,
            long gross,
            long tax,
            long net,
            TaxKind kind,
            boolean hasReverses,
            boolean currencyKnown) {
        if (!currencyKnown) {
            return Problem.UNKNOWN_CURRENCY;
        }
        if (gross <= 0) {
            return Problem.GROSS_NOT_POSITIVE;
        }
        if (tax < 0) {
            return Problem.NEGATIVE_TAX;
        }
        if (net < 0) {
            return Problem.NEGATIVE_NET;
        }
        // Both are non-negative, so a sum that wraps comes out negative and cannot equal a positive gross.
        boolean settles = type.settlesPending();
        if (settles ? tax + net < 0 || tax + net > gross : tax + net != gross) {
            return Problem.ARITHMETIC;
        }
        if (tax > 0 && kind == TaxKind.NONE) {
            return Problem.TAX_WITHOUT_KIND;
        }
        if (hasReverses != type.referencesAnother()) {
            return type == EntryType.REVERSAL
                    ? Problem.REVERSAL_SHAPE
                    : settles ? Problem.SETTLEMENT_SHAPE : Problem.REVERSES_ON_NON_REVERSAL;
        }
        return switch (type) {
            case MINT ->
                !hasSender && hasReceiver && tax == 0 && kind == TaxKind.NONE ? Problem.NONE : Problem.MINT_SHAPE;
            case BURN ->
                hasSender && !hasReceiver && tax == 0 && kind == TaxKind.NONE ? Problem.NONE : Problem.BURN_SHAPE;
            case TRANSFER, PURCHASE, INCOME ->
                !hasSender || !hasReceiver || sameParty
                        ? Problem.PAYMENT_SHAPE
                        : kind != type.taxKind() ? Problem.PAYMENT_TAX_KIND : Problem.NONE;
            case REVERSAL -> (hasSender || hasReceiver) && !sameParty ? Problem.NONE : Problem.REVERSAL_SHAPE;
            case PENDING ->
                hasSender && hasReceiver && !sameParty && tax == 0 && kind != TaxKind.NONE
                        ? Problem.NONE
                        : Problem.PENDING_SHAPE;
            case POST_PENDING ->
                hasSender && hasReceiver && !sameParty && kind != TaxKind.NONE && tax + net > 0
                        ? Problem.NONE
                        : Problem.SETTLEMENT_SHAPE;
            case VOID_PENDING ->
                hasSender && hasReceiver && !sameParty && tax == 0 && net == 0
                        ? Problem.NONE
                        : Problem.SETTLEMENT_SHAPE;
            case EXCHANGE ->
                hasSender
                                && hasReceiver
                                && !sameParty
                                && (tax == 0 ? kind == TaxKind.NONE : kind == TaxKind.EXCHANGE_FEE)
                        ? Problem.NONE
                        : Problem.EXCHANGE_SHAPE;
        };
    }
}
