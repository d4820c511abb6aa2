package cn.kameng.refunddesk.wechatpay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import cn.kameng.refunddesk.refund.ConfiguredKey;

/**
 * {@code payment.wechatpay.*}: the WeChat Pay APIv3 adapter's settings, in WeChat Pay public-key mode
 * (微信支付公钥: the platform's public key and its ID from the merchant console). Keys come from the
 * environment or files outside the repository; never commit them.
 */
@ConfigurationProperties(prefix = "payment.wechatpay")
record WechatPayProperties(
        @DefaultValue("false") boolean enabled,
        String merchantId,
        /** Serial number of the merchant's API certificate. */
        String merchantSerialNumber,
        /** The merchant's API private key (apiclient_key.pem, PKCS#8), or {@link #privateKeyFile}. */
        String privateKey,
        Path privateKeyFile,
        /** The APIv3 key (32 characters), which decrypts notifications. */
        String apiV3Key,
        /** WeChat Pay's public key ID (PUB_KEY_ID_...), and the key, or {@link #publicKeyFile}. */
        String publicKeyId,
        String publicKey,
        Path publicKeyFile,
        /** Where WeChat Pay posts refund notifications: https://host/api/v1/payment-notifications/wechatpay. */
        String notifyUrl,
        @DefaultValue("https://api.mch.weixin.qq.com") String baseUrl,
        @DefaultValue("PT3S") Duration connectTimeout,
        @DefaultValue("PT15S") Duration readTimeout) {

    static final String DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";

    PrivateKey privateKeyValue() {
        byte[] key = Base64.getDecoder().decode(ConfiguredKey.base64("wechatpay", privateKey, privateKeyFile, "private-key"));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("payment.wechatpay.private-key(-file) is not an RSA private key in PKCS#8 "
                    + "(apiclient_key.pem): " + e.getMessage(), e);
        }
    }

    PublicKey publicKeyValue() {
        byte[] key = Base64.getDecoder().decode(ConfiguredKey.base64("wechatpay", publicKey, publicKeyFile, "public-key"));
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("payment.wechatpay.public-key(-file) is not an RSA public key "
                    + "(pub_key.pem from the merchant console): " + e.getMessage(), e);
        }
    }

    String required(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("payment.wechatpay.enabled is true but payment.wechatpay." + name
                    + " is not set: " + what);
        }
        return value.trim();
    }

    String apiV3KeyValue() {
        String key = required(apiV3Key, "api-v3-key", "the APIv3 key set in the merchant console (32 characters),"
                + " e.g. from the environment variable PAYMENT_WECHATPAY_API_V3_KEY");
        if (key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new IllegalStateException("payment.wechatpay.api-v3-key must be 32 bytes long (AEAD_AES_256_GCM)");
        }
        return key;
    }
}
