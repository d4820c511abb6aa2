package cn.kameng.refunddesk.unionpay;

import static cn.kameng.refunddesk.support.TestKeys.rsa;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * UnionPay's 全渠道 gateway (UPACP 5.1.0) as WireMock plays it: backTransReq.do and queryTrans.do answer
 * k=v&amp;... signed (signMethod 01) with a UnionPay key pair made for the test, known to the adapter as
 * UnionPay's verify key; refund results are form POSTs signed the same way, as UnionPay sends to backUrl.
 */
public final class UnionPayStub implements AutoCloseable {

    static final String BACK_TRANS = "/gateway/api/backTransReq.do";
    static final String QUERY = "/gateway/api/queryTrans.do";
    static final String MER_ID = "777290058110048";
    static final String CERT_ID = "69629715588";

    final KeyPair unionPayKeys = rsa();
    final KeyPair merchantKeys = rsa();
    final KeyPair forgerKeys = rsa();
    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    public UnionPayStub() {
        server.start();
    }

    /** The adapter's settings for this stub, as property name → value. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("payment.unionpay.enabled", "true");
        p.put("payment.unionpay.mer-id", MER_ID);
        p.put("payment.unionpay.sign-key", pem("PRIVATE KEY", merchantKeys.getPrivate().getEncoded()));
        p.put("payment.unionpay.cert-id", CERT_ID);
        p.put("payment.unionpay.verify-cert", pem("PUBLIC KEY", unionPayKeys.getPublic().getEncoded()));
        p.put("payment.unionpay.back-url", "https://refund-desk.example.cn/api/v1/payment-notifications/unionpay");
        p.put("payment.unionpay.back-trans-url", server.baseUrl() + BACK_TRANS);
        p.put("payment.unionpay.query-url", server.baseUrl() + QUERY);
        p.put("payment.unionpay.connect-timeout", "PT2S");
        p.put("payment.unionpay.read-timeout", "PT3S");
        p.put("payment.channels.BANK_CARD", "unionpay");
        return p;
    }

    void reset() {
        server.resetAll();
    }

    /** backTransReq.do answers the refund of {@code orderId} with {@code respCode} (00: accepted). */
    void refundAnswers(String orderId, String respCode, String respMsg) {
        server.stubFor(post(urlPathEqualTo(BACK_TRANS)).willReturn(signed(answer(orderId, "04", respCode, respMsg))));
    }

    void refundAnswersTooLate(String orderId, Duration delay) {
        server.stubFor(post(urlPathEqualTo(BACK_TRANS)).willReturn(signed(answer(orderId, "04", "00", "成功[0000000]"))
                .withFixedDelay((int) delay.toMillis())));
    }

    /** queryTrans.do finds the refund, with its own result {@code origRespCode} (00: refunded). */
    void queryAnswers(String orderId, String origRespCode, long txnAmt) {
        Map<String, String> a = answer(orderId, "00", "00", "成功[0000000]");
        a.put("origRespCode", origRespCode);
        a.put("origRespMsg", "00".equals(origRespCode) ? "成功[0000000]" : "交易失败[" + origRespCode + "]");
        a.put("txnAmt", Long.toString(txnAmt));
        server.stubFor(post(urlPathEqualTo(QUERY)).willReturn(signed(a)));
    }

    void queryFindsNothing(String orderId) {
        server.stubFor(post(urlPathEqualTo(QUERY)).willReturn(signed(answer(orderId, "00", "34", "查无此交易[2011000]"))));
    }

    void everythingFails(int status) {
        server.stubFor(post(urlPathEqualTo(BACK_TRANS)).willReturn(aResponse().withStatus(status).withBody("Service Unavailable")));
        server.stubFor(post(urlPathEqualTo(QUERY)).willReturn(aResponse().withStatus(status).withBody("Service Unavailable")));
    }

    /** Every refund request we sent, as its form fields. */
    List<Map<String, String>> refundRequests() {
        return sent(BACK_TRANS);
    }

    List<Map<String, String>> queries() {
        return sent(QUERY);
    }

    /** A refund result as UnionPay posts it to backUrl: a form body, signed with {@code signer}. */
    String notice(String orderId, String respCode, long txnAmt, PrivateKey signer) {
        Map<String, String> n = answer(orderId, "04", respCode, "00".equals(respCode) ? "成功[0000000]" : "交易失败");
        n.put("txnAmt", Long.toString(txnAmt));
        n.put("currencyCode", "156");
        n.put("origQryId", "762511301000000000001");
        n.put("settleAmt", Long.toString(txnAmt));
        n.put("settleDate", "1130");
        n.put("traceTime", "1130120000");
        return UpacpSignature.form(UpacpSignature.sign(n, signer));
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private List<Map<String, String>> sent(String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
                .map(r -> UpacpSignature.parseForm(r.getBodyAsString())).toList();
    }

    private static Map<String, String> answer(String orderId, String txnType, String respCode, String respMsg) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("version", "5.1.0");
        a.put("encoding", "UTF-8");
        a.put("signMethod", "01");
        a.put("certId", "69042905377");
        a.put("accessType", "0");
        a.put("bizType", "04".equals(txnType) ? "000201" : "000000");
        a.put("txnType", txnType);
        a.put("txnSubType", "00");
        a.put("merId", MER_ID);
        a.put("orderId", orderId);
        a.put("txnTime", "20261130120000");
        a.put("queryId", "792611301200000000" + Math.abs(orderId.hashCode() % 1000));
        a.put("respCode", respCode);
        a.put("respMsg", respMsg);
        return a;
    }

    /** A synchronous answer: k=v&amp;..., not URL-encoded, as UnionPay answers. */
    private ResponseDefinitionBuilder signed(Map<String, String> answer) {
        String body = UpacpSignature.sign(answer, unionPayKeys.getPrivate()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return aResponse().withStatus(200).withHeader("Content-Type", "text/plain;charset=UTF-8").withBody(body);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
