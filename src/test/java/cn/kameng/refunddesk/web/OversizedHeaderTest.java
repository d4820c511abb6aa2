package cn.kameng.refunddesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/** A header line over Tomcat's limit is refused before any servlet, and still answered as problem+json. */
@DisputeServiceTest
class OversizedHeaderTest {

    @LocalServerPort int port;

    @Test
    void aHeaderOverTheLimitIsAProblemJson400() throws Exception {
        String answer;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/disputes HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(20_000)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            in.transferTo(read);
            answer = read.toString(StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"status\":400").contains("\"detail\":\"the request line or a header is malformed")
                .doesNotContain("<html");
    }
}
