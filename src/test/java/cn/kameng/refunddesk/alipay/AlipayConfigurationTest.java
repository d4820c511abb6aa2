package cn.kameng.refunddesk.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Alipay adapter starts only with everything it needs; a missing or unreadable key stops the
 * start-up with a sentence naming the setting, instead of failing the first refund.
 */
class AlipayConfigurationTest {

    private static final AlipayGatewayStub keys = new AlipayGatewayStub();

    @Configuration
    @EnableConfigurationProperties(AlipayProperties.class)
    @Import(AlipayPaymentGateway.class)
    static class AdapterOnly {
        @Bean
        ObjectMapper objectMapper() {
            return new ObjectMapper();
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AdapterOnly.class);

    @AfterAll
    static void stop() {
        keys.close();
    }

    @Test
    void withEverythingConfiguredTheAdapterStarts(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("app-private-key.pem");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.appKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        context.withPropertyValues("payment.alipay.enabled=true", "payment.alipay.app-id=2021000000000001",
                "payment.alipay.private-key-file=" + keyFile, "payment.alipay.alipay-public-key=" + alipayPublicKey())
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(AlipayPaymentGateway.class));
    }

    @Test
    void aMissingPrivateKeyStopsTheStartUpNamingTheSetting() {
        context.withPropertyValues("payment.alipay.enabled=true", "payment.alipay.app-id=2021000000000001",
                "payment.alipay.alipay-public-key=" + alipayPublicKey())
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("no key is configured for payment.alipay.private-key")
                        .hasMessageContaining("payment.alipay.private-key-file"));
    }

    @Test
    void aMissingAlipayPublicKeyStopsTheStartUp() {
        context.withPropertyValues("payment.alipay.enabled=true", "payment.alipay.app-id=2021000000000001",
                "payment.alipay.private-key=" + appPrivateKey())
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("payment.alipay.alipay-public-key"));
    }

    @Test
    void aMissingAppIdOrAKeyThatIsNotAKeyStopsTheStartUp() {
        context.withPropertyValues("payment.alipay.enabled=true", "payment.alipay.private-key=" + appPrivateKey(),
                "payment.alipay.alipay-public-key=" + alipayPublicKey())
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("payment.alipay.app-id"));
        context.withPropertyValues("payment.alipay.enabled=true", "payment.alipay.app-id=2021000000000001",
                "payment.alipay.private-key=bm90IGEga2V5", "payment.alipay.alipay-public-key=" + alipayPublicKey())
                .run(ctx -> assertThat(ctx).getFailure()
                        .hasStackTraceContaining("payment.alipay.private-key(-file) is not an RSA private key"));
    }

    @Test
    void notEnabledNoAdapterAndNoKeysNeeded() {
        context.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AlipayPaymentGateway.class));
    }

    private static String alipayPublicKey() {
        return Base64.getEncoder().encodeToString(keys.alipayKeys.getPublic().getEncoded());
    }

    private static String appPrivateKey() {
        return Base64.getEncoder().encodeToString(keys.appKeys.getPrivate().getEncoded());
    }
}
