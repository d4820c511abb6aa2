package cn.kameng.refunddesk.unionpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.kameng.refunddesk.order.OrderDirectory;

/** The UnionPay adapter does not start with a key or a setting missing, and says which; it reads UnionPay's .pfx. */
class UnionPayConfigurationTest {

    private static final UnionPayStub unionpay = new UnionPayStub();

    @Configuration
    @EnableConfigurationProperties(UnionPayProperties.class)
    @Import(UnionPayPaymentGateway.class)
    static class AdapterOnly {
        @Bean
        OrderDirectory orders() {
            return orderId -> Optional.empty();
        }

        @Bean
        UnionPayOrders sentOrders() {
            DriverManagerDataSource db = new DriverManagerDataSource("jdbc:h2:mem:unionpay-config");
            return new UnionPayOrders(JdbcClient.create(db), new DataSourceTransactionManager(db));
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AdapterOnly.class);

    @AfterAll
    static void stop() {
        unionpay.close();
    }

    @Test
    void withEverythingConfiguredTheAdapterStarts() {
        context.withPropertyValues(settings(null))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(UnionPayPaymentGateway.class));
    }

    @Test
    void eachMissingSettingStopsTheStartUpNamingIt() {
        for (String missing : List.of("mer-id", "sign-key", "cert-id", "verify-cert", "back-url")) {
            context.withPropertyValues(settings("payment.unionpay." + missing))
                    .run(ctx -> assertThat(ctx).as(missing).getFailure()
                            .hasStackTraceContaining("payment.unionpay." + missing));
        }
    }

    @Test
    void theSigningKeyAndCertIdAreReadFromUnionPaysPfxAndTheVerifyCertificateFromItsPem(@TempDir Path dir)
            throws Exception {
        Path pfx = dir.resolve("acp_sign.pfx");
        Path cer = dir.resolve("acp_verify_sign.cer");
        keytool("-genkeypair", "-alias", "acp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=777290058110048", "-storetype", "PKCS12", "-keystore", pfx.toString(),
                "-storepass", "000000", "-keypass", "000000");
        keytool("-exportcert", "-rfc", "-alias", "acp", "-keystore", pfx.toString(), "-storepass", "000000",
                "-file", cer.toString());
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(cer)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }

        UnionPayProperties.SigningKey key = properties(pfx, "000000", cer).signingKey();

        assertThat(key.certId()).isEqualTo(cert.getSerialNumber().toString());
        assertThat(properties(pfx, "000000", cer).verifyKey()).isEqualTo(cert.getPublicKey());
        Map<String, String> signed = UpacpSignature.sign(Map.of("merId", "777290058110048", "txnType", "04"), key.key());
        assertThat(UpacpSignature.verifies(signed, cert.getPublicKey())).isTrue();
        assertThatThrownBy(() -> properties(pfx, "wrong", cer).signingKey())
                .hasMessageContaining("payment.unionpay.sign-key-password");
        assertThatThrownBy(() -> properties(pfx, null, cer).signingKey())
                .hasMessageContaining("payment.unionpay.sign-key-password is not set");
    }

    private static UnionPayProperties properties(Path pfx, String password, Path cer) {
        return new UnionPayProperties(true, UnionPayStub.MER_ID, null, pfx, password, null, null, cer,
                "https://refund-desk.example.cn/api/v1/payment-notifications/unionpay",
                UnionPayProperties.DEFAULT_BACK_TRANS_URL, UnionPayProperties.DEFAULT_QUERY_URL, Duration.ofSeconds(3),
                Duration.ofSeconds(15));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static String[] settings(String without) {
        Map<String, String> p = new LinkedHashMap<>(unionpay.properties());
        p.remove("payment.channels.BANK_CARD");
        if (without != null) {
            p.remove(without);
        }
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
