package cn.kameng.refunddesk.alipay;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * The whole service with Alipay as the ALIPAY channel's gateway and both Alipay complaint families on, against
 * one WireMock playing Alipay's gateway. The test classes that extend it share one Spring context (the same
 * properties from the same place); the stub is not stopped after a class, it ends with the test JVM.
 */
@DisputeServiceTest
@TestPropertySource(properties = {
        "payment.alipay.enabled=true",
        "payment.alipay.app-id=2021000000000001",
        "payment.alipay.connect-timeout=PT2S",
        "payment.alipay.read-timeout=PT3S",
        "payment.channels.ALIPAY=alipay",
        // both complaint families share this context (ADR 0069), behind Alipay's one gateway address
        "payment.alipay.complaints.tradecomplain.enabled=true",
        "payment.alipay.complaints.riskgo.enabled=true",
        "dispute.channels.poll-enabled=false"
})
abstract class AlipayServiceTest {

    static final AlipayGatewayStub alipay = new AlipayGatewayStub();

    @DynamicPropertySource
    static void alipay(DynamicPropertyRegistry registry) {
        alipay.register(registry);
    }
}
