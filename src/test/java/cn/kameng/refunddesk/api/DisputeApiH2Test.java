package cn.kameng.refunddesk.api;

/** The API contract on the embedded default database: H2 (in memory here, a file in the demo). */
class DisputeApiH2Test extends DisputeApiContract {

    @Override
    String expectedDatabaseProduct() {
        return "H2";
    }
}
