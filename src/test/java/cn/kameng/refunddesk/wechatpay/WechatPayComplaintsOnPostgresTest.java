package cn.kameng.refunddesk.wechatpay;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * The same WeChat Pay complaint scenarios on PostgreSQL (production's database): V14 and its queries there. The
 * context is closed after the class, while its embedded server still runs.
 */
@DirtiesContext
class WechatPayComplaintsOnPostgresTest extends WechatPayComplaintsTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
