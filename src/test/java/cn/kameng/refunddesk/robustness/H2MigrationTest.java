package cn.kameng.refunddesk.robustness;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/** The migration and the open-to-refunded scenario on a fresh in-memory H2 (the embedded default). */
@DisputeServiceTest
class H2MigrationTest extends MigrationScenario {

    @Override
    String expectedDatabase() {
        return "H2";
    }
}
