package dev.tally.core.ledger;

/** The kinds of tax the treasury collects, with a running total per currency for each. */
public enum TaxKind {
    TRANSFER_TAX,
    VAT,
    INCOME_TAX,
    NONE,
    /** An exchange's fee, taken on the leg that pays the converted amount out. */
    EXCHANGE_FEE
}
