package cn.kameng.refunddesk.support;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Keys the gateway stubs make for each test run: nothing secret is ever read from the repository. */
public final class TestKeys {

    private TestKeys() {
    }

    /** A fresh 2048-bit RSA key pair (what Alipay, WeChat Pay and UnionPay sign with). */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
