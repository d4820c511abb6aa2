package cn.kameng.refunddesk.ledger;

/**
 * The ledger's accounts. A merchant has a DEPOSIT (what is free), a HELD part (frozen by its open disputes)
 * and a RECEIVABLE (what the compensation fund paid first for it and is owed back). The platform has its
 * compensation FUND, the FUND_ADVANCES it has paid on merchants' behalf (the mirror of all receivables),
 * BUYER_REFUNDS (what buyers got back), OUTSIDE (money that came in from outside the ledger) and WRITTEN_OFF
 * (receivables finance gave up on: the platform's loss; the fund's advances are what is still receivable plus it).
 */
public enum AccountKind {
    DEPOSIT(true),
    HELD(true),
    RECEIVABLE(true),
    FUND(false),
    FUND_ADVANCES(false),
    BUYER_REFUNDS(false),
    OUTSIDE(false),
    WRITTEN_OFF(false);

    private final boolean merchants;

    AccountKind(boolean merchants) {
        this.merchants = merchants;
    }

    /** Whether each merchant has one of these (its balance kept on the row) or the platform has one. */
    public boolean perMerchant() {
        return merchants;
    }

    /** The account's id: {@code DEPOSIT:merchant1}, or the kind's name for the platform's accounts. */
    public String of(String merchantId) {
        return merchants ? name() + ":" + merchantId : name();
    }
}
