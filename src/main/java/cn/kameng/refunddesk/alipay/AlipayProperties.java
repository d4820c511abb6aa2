package cn.kameng.refunddesk.alipay;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.refund.ConfiguredKey;

/**
 * {@code payment.alipay.*}: the Alipay adapter's settings. Keys come from the environment or from files
 * outside the repository, as a value (base64 or PEM) or a file path; never commit them.
 */
@ConfigurationProperties(prefix = "payment.alipay")
record AlipayProperties(
        @DefaultValue("false") boolean enabled,
        String appId,
        /** The application's RSA2 private key (PKCS#8), or {@link #privateKeyFile}. */
        String privateKey,
        Path privateKeyFile,
        /** Alipay's public key (X.509 SubjectPublicKeyInfo), shown in the Alipay console, or {@link #alipayPublicKeyFile}. */
        String alipayPublicKey,
        Path alipayPublicKeyFile,
        @DefaultValue("https://openapi.alipay.com/gateway.do") String gatewayUrl,
        @DefaultValue("PT3S") Duration connectTimeout,
        @DefaultValue("PT15S") Duration readTimeout,
        /** The complaint APIs ({@code payment.alipay.complaints.*}), each family off unless enabled. */
        @DefaultValue Complaints complaints) {

    /**
     * {@code payment.alipay.complaints.*}: the two complaint families, on the same application and keys as
     * refunds (ADR 0069). {@code imageTimeout} bounds the download of one buyer image.
     */
    record Complaints(@DefaultValue TradeComplain tradecomplain, @DefaultValue RiskGo riskgo,
            @DefaultValue("PT15S") Duration imageTimeout) {
    }

    /**
     * 交易投诉 ({@code alipay.merchant.tradecomplain.*}). Its detail carries no deadline, so {@code feedbackWithin}
     * (from the complaint's {@code gmt_create}; {@code PT48H} or working days {@code 3WD}) says by when Alipay
     * wants the merchant's feedback. {@code pageSize} at most 20 (Alipay's maximum); {@code longestWindow} at
     * most a year (Alipay's maximum span of one batch query).
     */
    record TradeComplain(@DefaultValue("false") boolean enabled, @DefaultValue("PT48H") Sla feedbackWithin,
            @DefaultValue("20") int pageSize, @DefaultValue("P30D") Duration longestWindow) {
    }

    /** RiskGO 消费者投诉 ({@code alipay.security.risk.complaint.*}); its deadline is each complaint's {@code gmt_overdue}. */
    record RiskGo(@DefaultValue("false") boolean enabled, @DefaultValue("20") int pageSize,
            @DefaultValue("P30D") Duration longestWindow) {
    }

    /** The application's private key as the SDK takes it (base64 PKCS#8); fails with the key named if missing or unreadable. */
    String privateKeyValue() {
        String key = ConfiguredKey.base64("alipay", privateKey, privateKeyFile, "private-key");
        try {
            KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("payment.alipay.private-key(-file) is not an RSA private key in PKCS#8 "
                    + "(base64 or PEM 'BEGIN PRIVATE KEY'): " + e.getMessage(), e);
        }
        return key;
    }

    String alipayPublicKeyValue() {
        String key = ConfiguredKey.base64("alipay", alipayPublicKey, alipayPublicKeyFile, "alipay-public-key");
        try {
            KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("payment.alipay.alipay-public-key(-file) is not an RSA public key "
                    + "(base64 or PEM 'BEGIN PUBLIC KEY'): " + e.getMessage(), e);
        }
        return key;
    }

    String appIdValue() {
        if (appId == null || appId.isBlank()) {
            throw new IllegalStateException("payment.alipay.enabled is true but payment.alipay.app-id is not set: "
                    + "set it to the APPID of the application in the Alipay open platform console");
        }
        return appId.trim();
    }
}
