package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.adobe.testing.s3mock.S3MockApplication;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 evidence store against a real S3 server, Adobe's S3Mock, in this JVM on a port of its own: the
 * production constructor (endpoint, path-style, credentials from the usual AWS sources, the SDK's checksum
 * settings), S3's own answers to a conditional PUT, a GET and a missing key. S3Mock is a Spring Boot
 * application of its own; it is started with its own settings only, without the service's configuration
 * and without the auto-configuration of the service's libraries (database, engine, security).
 */
class S3EvidenceStoreOnS3MockIT {

    private static final String BUCKET = "evidence-bucket";
    private static S3MockApplication s3;
    private static S3Client direct;
    private S3EvidenceStore store;

    @BeforeAll
    static void startS3() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "s3mock")).resolve(UUID.randomUUID().toString())
                .toAbsolutePath();
        // a map S3Mock may change (it translates legacy property names)
        s3 = S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                S3MockApplication.PROP_SILENT, true,
                // S3Mock's own application.properties, not the service's application.yaml
                "spring.config.location", "classpath:application.properties",
                "spring.autoconfigure.exclude", String.join(",",
                        "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration",
                        "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
                        "org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration",
                        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
                        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
                        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
                        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
                        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration",
                        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"))));
        direct = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true).endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stopS3() {
        direct.close();
        s3.stop();
    }

    @BeforeEach
    void store() {
        // The production constructor; DefaultCredentialsProvider reads these as it reads AWS_ACCESS_KEY_ID etc.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        store = new S3EvidenceStore(BUCKET, "evidence/", "us-east-1", endpoint().toString(), true);
    }

    @AfterEach
    void close() {
        store.destroy();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static URI endpoint() {
        return URI.create("http://localhost:" + s3.getHttpPort());
    }

    @Test
    void aFileIsKeptUnderItsFingerprintAndReadBackAsStored() {
        byte[] screenshot = "卡密截图 1".getBytes(StandardCharsets.UTF_8);
        String sha = EvidenceStore.sha256(screenshot);

        store.put(sha, screenshot);

        assertThat(store.get(sha)).hasValueSatisfying(b -> assertThat(b).isEqualTo(screenshot));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("evidence/" + sha.substring(0, 2) + "/" + sha))
                .asByteArray()).isEqualTo(screenshot);
        assertThat(store.describe()).isEqualTo("s3://evidence-bucket/evidence/");
    }

    @Test
    void aSecondPutUnderTheSameNameIsRefusedByS3AndTheFirstBytesStay() {
        byte[] original = "卡密截图 2".getBytes(StandardCharsets.UTF_8);
        String sha = EvidenceStore.sha256(original);
        store.put(sha, original);

        store.put(sha, "other bytes under the same name".getBytes(StandardCharsets.UTF_8));

        assertThat(store.get(sha)).hasValueSatisfying(b -> assertThat(b).isEqualTo(original));
    }

    @Test
    void aFileNeverStoredIsMissingNotAnError() {
        assertThat(store.get("0".repeat(64))).isEmpty();
    }

    @Test
    void bytesChangedInTheBucketBehindTheServicesBackAreReturnedAsTheyAreForTheCallersHashCheck() {
        byte[] original = "聊天记录".getBytes(StandardCharsets.UTF_8);
        String sha = EvidenceStore.sha256(original);
        store.put(sha, original);
        // someone with bucket access overwrites the object (no If-None-Match)
        direct.putObject(b -> b.bucket(BUCKET).key("evidence/" + sha.substring(0, 2) + "/" + sha),
                RequestBody.fromString("forged"));

        assertThat(store.get(sha)).hasValueSatisfying(b -> assertThat(EvidenceStore.sha256(b)).isNotEqualTo(sha));
    }

    @Test
    void aNameThatIsNotASha256IsRefusedBeforeS3IsAsked() {
        assertThatThrownBy(() -> store.put("../../etc/passwd", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SHA-256");
        assertThatThrownBy(() -> store.get("ABC")).isInstanceOf(IllegalArgumentException.class);
    }
}
