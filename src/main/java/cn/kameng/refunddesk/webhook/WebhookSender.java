package cn.kameng.refunddesk.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Posts one signed event to one subscriber and says what came back. Only a 2xx answer within the
 * read timeout is an acceptance; anything else (other status, redirect, timeout, refused connection)
 * is a failure the relay tries again.
 */
@Component
class WebhookSender {

    /** What one attempt got: the HTTP status (null when none came) or the error. */
    record Result(boolean accepted, Integer httpStatus, String error, long durationMs) {
    }

    private final HttpClient http;
    private final Duration readTimeout;

    WebhookSender(Subscribers subscribers) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(subscribers.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = subscribers.readTimeout();
    }

    Result send(Subscribers.Subscriber to, String eventId, String type, String body) {
        Instant now = ServiceClock.now();
        HttpRequest request = HttpRequest.newBuilder(to.url()).timeout(readTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "kameng-refund-desk-webhooks/" + WebhookEvents.SPEC_VERSION)
                .header(WebhookSignature.SPEC_VERSION_HEADER, WebhookEvents.SPEC_VERSION)
                .header(WebhookSignature.EVENT_ID_HEADER, eventId)
                .header(WebhookSignature.EVENT_TYPE_HEADER, type)
                .header(WebhookSignature.HEADER, WebhookSignature.header(to.secret(), now.getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        long started = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            return new Result(ok, status, ok ? null : "the subscriber answered HTTP " + status, millisSince(started));
        } catch (HttpTimeoutException e) {
            return new Result(false, null, "no answer within " + readTimeout + " (" + e.getMessage() + ")",
                    millisSince(started));
        } catch (IOException e) {
            return new Result(false, null, e.getClass().getSimpleName() + ": " + e.getMessage(), millisSince(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "interrupted while sending", millisSince(started));
        }
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
