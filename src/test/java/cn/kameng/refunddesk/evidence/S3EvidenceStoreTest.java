package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 adapter against an in-process fake of the few S3 calls it makes (PUT with If-None-Match, GET),
 * path-style as MinIO and most S3-compatible stores are addressed.
 */
class S3EvidenceStoreTest {

    private HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private S3EvidenceStore store;
    private S3Client client;

    @BeforeEach
    void fakeS3() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of("cn-north-1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        store = new S3EvidenceStore(client, "evidence-bucket", "evidence/");
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        byte[] body = x.getRequestBody().readAllBytes();
        String payload = x.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (payload != null && payload.startsWith("STREAMING-")) {
            body = decodeAwsChunked(body); // as S3 does: over plain HTTP the SDK signs the body chunk by chunk
        }
        switch (x.getRequestMethod()) {
            case "PUT" -> {
                puts.incrementAndGet();
                if ("*".equals(x.getRequestHeaders().getFirst("If-None-Match")) && objects.containsKey(path)) {
                    reply(x, 412, error("PreconditionFailed"));
                    return;
                }
                objects.put(path, body);
                x.getResponseHeaders().add("ETag", "\"etag\"");
                reply(x, 200, new byte[0]);
            }
            case "GET" -> {
                byte[] object = objects.get(path);
                if (object == null) {
                    reply(x, 404, error("NoSuchKey"));
                } else {
                    x.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    reply(x, 200, object);
                }
            }
            default -> reply(x, 405, error("MethodNotAllowed"));
        }
    }

    /** {@code <hex size>;chunk-signature=<sig>\r\n<data>\r\n ... 0;chunk-signature=<sig>\r\n\r\n} */
    private static byte[] decodeAwsChunked(byte[] chunked) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrLf(chunked, at);
            String header = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0], 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("not aws-chunked");
    }

    private static byte[] error(String code) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
        if (status != 200 || body.length > 0) {
            x.getResponseHeaders().add("Content-Type", status == 200 ? "application/octet-stream" : "application/xml");
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    @Test
    void anObjectIsKeptUnderItsFingerprintAndNeverReplaced() {
        byte[] original = "卡密截图".getBytes(StandardCharsets.UTF_8);
        String sha = EvidenceStore.sha256(original);

        store.put(sha, original);
        store.put(sha, "something else under the same name".getBytes(StandardCharsets.UTF_8));

        assertThat(puts.get()).isEqualTo(2);
        assertThat(objects).containsOnlyKeys("/evidence-bucket/evidence/" + sha.substring(0, 2) + "/" + sha);
        assertThat(store.get(sha)).hasValueSatisfying(b -> assertThat(b).isEqualTo(original));
        assertThat(store.get("0".repeat(64))).isEmpty();
    }
}
