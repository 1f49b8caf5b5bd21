package dev.tally.core.ledger;

/** What an entry does. Only TRANSFER, PURCHASE and INCOME are taxed; MINT and BURN are admin-only. */
public enum EntryType {
    /** Money between two accounts, taxed with the transfer tax. */
    TRANSFER(TaxKind.TRANSFER_TAX),
    /** A purchase, taxed with VAT. */
    PURCHASE(TaxKind.VAT),
    /** Income paid to the receiver, taxed with income tax. */
    INCOME(TaxKind.INCOME_TAX),
    /** New money created into an account (admin only). */
    MINT(TaxKind.NONE),
    /** Money destroyed from an account (admin only). */
    BURN(TaxKind.NONE),
    /** Undoes an earlier entry by moving its amounts back; history itself is never edited. */
    REVERSAL(TaxKind.NONE),
    /**
     * A pending (two-phase) transfer: the gross leaves the sender's available balance into the pending escrow
     * account and does not reach the receiver yet. Its tax kind is the one of the payment it will become
     * (no tax is withheld yet); its metadata holds {@code tally.expires_at}.
     */
    PENDING(TaxKind.NONE),
    /**
     * Completes a pending transfer (named in {@code reverses_transaction_id}): gross = the pending amount, out of
     * escrow; tax + net = the amount posted, to the treasury and the receiver; the rest back to the sender.
     */
    POST_PENDING(TaxKind.NONE),
    /** Releases a pending transfer (named in {@code reverses_transaction_id}) whole: gross back to the sender. */
    VOID_PENDING(TaxKind.NONE),
    /**
     * One leg of a currency exchange between an account and a market (liquidity) account: the sell leg pays
     * the account's money into the market, the buy leg pays the converted amount out to the account, its
     * fee (tax kind {@code EXCHANGE_FEE}) to the treasury. Both carry {@code tally.exchange} and
     * {@code tally.rate} in their metadata.
     */
    EXCHANGE(TaxKind.NONE);

    private final TaxKind taxKind;

    EntryType(TaxKind taxKind) {
        this.taxKind = taxKind;
    }

    /** The tax this type of entry carries into the treasury. */
    public TaxKind taxKind() {
        return taxKind;
    }

    /** Whether this is a payment between two accounts (TRANSFER, PURCHASE or INCOME). */
    public boolean isPayment() {
        return taxKind != TaxKind.NONE;
    }

    /** Whether an entry of this type names another entry in {@code reverses_transaction_id}. */
    public boolean referencesAnother() {
        return this == REVERSAL || this == POST_PENDING || this == VOID_PENDING;
    }

    /** Whether this closes a pending transfer. */
    public boolean settlesPending() {
        return this == POST_PENDING || this == VOID_PENDING;
    }

    /** The payment type whose tax kind is {@code kind}; empty for {@link TaxKind#NONE}. */
    public static java.util.Optional<EntryType> paymentOf(TaxKind kind) {
        for (EntryType t : values()) {
            if (t.isPayment() && t.taxKind == kind) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
