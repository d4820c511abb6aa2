package cn.kameng.refunddesk.evidence;

import java.net.URI;
import java.util.Optional;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Evidence in an S3-compatible object store (AWS S3, MinIO, OSS/COS in S3 mode), one object per
 * SHA-256 under {@code dispute.evidence.s3.prefix}. Objects are written with {@code If-None-Match: *},
 * so an existing object is never replaced; the bucket should also have versioning or object lock on.
 * Credentials come from the usual AWS sources (environment, profile, instance role), never from the repo.
 */
@Component
@ConditionalOnProperty(name = "dispute.evidence.storage", havingValue = "s3")
class S3EvidenceStore implements EvidenceStore, DisposableBean {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3EvidenceStore(@Value("${dispute.evidence.s3.bucket}") String bucket,
            @Value("${dispute.evidence.s3.prefix:evidence/}") String prefix,
            @Value("${dispute.evidence.s3.region:cn-north-1}") String region,
            @Value("${dispute.evidence.s3.endpoint:}") String endpoint,
            @Value("${dispute.evidence.s3.path-style:false}") boolean pathStyle) {
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region)).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(pathStyle)
                // checksums only where S3 requires them: many S3-compatible stores refuse the SDK's default trailers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        this.s3 = builder.build();
        this.bucket = bucket;
        this.prefix = prefix;
    }

    S3EvidenceStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void put(String sha256, byte[] content) {
        String key = keyOf(sha256);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentLength((long) content.length)
                    .contentType("application/octet-stream"), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return; // already stored: the same bytes, kept as they were
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(keyOf(sha256)));
            return Optional.of(object.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    private String keyOf(String sha256) {
        EvidenceStore.requireHash(sha256);
        return prefix + sha256.substring(0, 2) + "/" + sha256;
    }

    @Override
    public void destroy() {
        s3.close();
    }
}
