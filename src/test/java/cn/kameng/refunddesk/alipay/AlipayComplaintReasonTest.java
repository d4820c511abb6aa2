package cn.kameng.refunddesk.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Alipay rows of the reason table process owners edit ({@code processes/channel-complaint-reason.dmn}),
 * evaluated by Camunda's own DMN engine as the service asks it: 交易投诉's reason in words, RiskGO's code.
 */
class AlipayComplaintReasonTest {

    private static DmnEngine engine;
    private static DmnDecision decision;

    @BeforeAll
    static void load() throws IOException {
        engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        try (InputStream model = Files.newInputStream(Path.of("processes/channel-complaint-reason.dmn"))) {
            decision = engine.parseDecision("channelComplaintReason", model);
        }
    }

    @ParameterizedTest(name = "{0} \"{1}\" is {2}")
    @CsvSource(nullValues = "null", value = {
            "alipay-tradecomplain, 付款后未收到卡密, NOT_DELIVERED",
            "alipay-tradecomplain, 充值未到账, NOT_DELIVERED",
            "alipay-tradecomplain, 卡密无法使用, INVALID_CARD_KEY",
            "alipay-tradecomplain, 同一订单重复扣款, DUPLICATE_CHARGE",
            "alipay-tradecomplain, 商品与描述不符, NOT_AS_DESCRIBED",
            "alipay-tradecomplain, 商家联系不上, MERCHANT_VANISHED",
            "alipay-tradecomplain, 想换一个, OTHER",
            "alipay-tradecomplain, null, OTHER",
            "alipay-riskgo, SERVICE_NOT_WORK, INVALID_CARD_KEY",
            "alipay-riskgo, REFUND, NOT_AS_DESCRIBED",
            "alipay-riskgo, UNSPECIFIED, OTHER",
            "alipay-riskgo, 卡密无法使用, OTHER"})
    void alipaysReasonIsOurReason(String source, String problemType, String reason) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("channel", "ALIPAY");
        facts.put("source", source);
        facts.put("problemType", problemType);

        Object decided = engine.evaluateDecisionTable(decision, facts).getSingleResult().getSingleEntry();
        assertThat(decided).isEqualTo(reason);
    }
}
