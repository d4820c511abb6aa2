package cn.kameng.refunddesk.unionpay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import cn.kameng.refunddesk.refund.ConfiguredKey;

/**
 * {@code payment.unionpay.*}: the UnionPay (银联全渠道, UPACP 5.1.0) adapter's settings. The merchant's
 * signing key is the .pfx UnionPay issues (file + password; certId is its certificate's serial number)
 * or a PKCS#8 PEM key with {@code cert-id}; UnionPay's signing certificate (or its public key) verifies
 * answers and notifications. Keys come from the environment or files outside the repository.
 */
@ConfigurationProperties(prefix = "payment.unionpay")
record UnionPayProperties(
        @DefaultValue("false") boolean enabled,
        /** 商户代码 (15 digits). */
        String merId,
        /** The merchant signing key: a PKCS#8 PEM value, or {@link #signKeyFile} (.pfx/.p12 with a password, or PEM). */
        String signKey,
        Path signKeyFile,
        String signKeyPassword,
        /** The serial number (decimal) of the merchant signing certificate; read from a .pfx when not set. */
        String certId,
        /** UnionPay's signing certificate (PEM, acp_prod_verify_sign.cer) or public key, or {@link #verifyCertFile}. */
        String verifyCert,
        Path verifyCertFile,
        /** Where UnionPay posts refund results: https://host/api/v1/payment-notifications/unionpay. */
        String backUrl,
        @DefaultValue(DEFAULT_BACK_TRANS_URL) String backTransUrl,
        @DefaultValue(DEFAULT_QUERY_URL) String queryUrl,
        @DefaultValue("PT3S") Duration connectTimeout,
        @DefaultValue("PT15S") Duration readTimeout) {

    static final String DEFAULT_BACK_TRANS_URL = "https://gateway.95516.com/gateway/api/backTransReq.do";
    static final String DEFAULT_QUERY_URL = "https://gateway.95516.com/gateway/api/queryTrans.do";

    /** The merchant's signing key and its certId. */
    record SigningKey(PrivateKey key, String certId) {
    }

    String required(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("payment.unionpay.enabled is true but payment.unionpay." + name
                    + " is not set: " + what);
        }
        return value.trim();
    }

    SigningKey signingKey() {
        if ((signKey == null || signKey.isBlank()) && signKeyFile != null && isPkcs12(signKeyFile)) {
            return fromPkcs12();
        }
        String text = ConfiguredKey.text("unionpay", signKey, signKeyFile, "sign-key");
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(text, "sign-key")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("payment.unionpay.sign-key(-file) is not an RSA private key in PKCS#8 "
                    + "(PEM 'BEGIN PRIVATE KEY'), nor a .pfx/.p12 file: " + e.getMessage(), e);
        }
        return new SigningKey(key, required(certId, "cert-id", "the serial number (decimal) of the merchant "
                + "signing certificate, which UnionPay needs with a PEM key (a .pfx sign-key-file carries it)"));
    }

    PublicKey verifyKey() {
        String text = ConfiguredKey.text("unionpay", verifyCert, verifyCertFile, "verify-cert");
        try {
            if (text.contains("BEGIN CERTIFICATE")) {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
                return cert.getPublicKey();
            }
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(text, "verify-cert")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("payment.unionpay.verify-cert(-file) is neither UnionPay's signing "
                    + "certificate (PEM 'BEGIN CERTIFICATE') nor an RSA public key (PEM 'BEGIN PUBLIC KEY'): "
                    + e.getMessage(), e);
        }
    }

    private SigningKey fromPkcs12() {
        String password = required(signKeyPassword, "sign-key-password", "the password of the .pfx in "
                + "payment.unionpay.sign-key-file (e.g. from the environment variable PAYMENT_UNIONPAY_SIGN_KEY_PASSWORD)");
        try (InputStream in = Files.newInputStream(signKeyFile)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
                    X509Certificate cert = (X509Certificate) store.getCertificate(alias);
                    String id = certId != null && !certId.isBlank() ? certId.trim() : cert.getSerialNumber().toString();
                    return new SigningKey(key, id);
                }
            }
            throw new IllegalStateException("payment.unionpay.sign-key-file " + signKeyFile + " holds no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("payment.unionpay.sign-key-file " + signKeyFile + " cannot be opened as a "
                    + ".pfx with payment.unionpay.sign-key-password: " + e.getMessage(), e);
        }
    }

    private static boolean isPkcs12(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pfx") || name.endsWith(".p12");
    }

    private static byte[] der(String text, String name) {
        return Base64.getDecoder().decode(ConfiguredKey.base64Body("unionpay", text, name));
    }
}
