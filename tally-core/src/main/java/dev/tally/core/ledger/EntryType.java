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
    REVERSAL(TaxKind.NONE);

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
}
