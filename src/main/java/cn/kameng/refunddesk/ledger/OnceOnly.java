package cn.kameng.refunddesk.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * A money movement recorded at most once per request key (V15 {@code ledger_request}): the key's row is written in
 * the same transaction as the movement, with what the request asked (its fingerprint) and the answer given. The
 * same request again answers that answer and moves nothing; another request under the same key is refused (409).
 */
@Service
public class OnceOnly {

    /** What {@link #once} answered, and whether it was a repeat that moved nothing. */
    public record Outcome<T>(T answer, boolean repeated) {
    }

    private record Row(String fingerprint, String answer) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    OnceOnly(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Runs {@code movement} unless {@code requestKey} was recorded already. {@code request} is what was asked (any
     * value Jackson writes); {@code what} names the key in the refusal's sentence, e.g. "Idempotency-Key k-1".
     */
    @Transactional
    public <T> Outcome<T> once(String requestKey, Object request, String what, Class<T> answerType,
            Supplier<T> movement) {
        String fingerprint = sha256(write(request));
        Optional<Row> earlier = earlier(requestKey);
        if (earlier.isPresent()) {
            return new Outcome<>(repeat(earlier.get(), fingerprint, what, answerType), true);
        }
        T answer = movement.get();
        try {
            jdbc.sql("insert into ledger_request (request_key, fingerprint, answer, created_at) values (?, ?, ?, ?)")
                    .params(requestKey, fingerprint, write(answer), Timestamp.from(ServiceClock.now())).update();
        } catch (DuplicateKeyException e) {
            // its twin, sent at the same moment, committed first: this one's movement is rolled back with it
            throw new WrongState(what + " is being recorded by another request at this moment; send it again to "
                    + "read what was recorded");
        }
        return new Outcome<>(answer, false);
    }

    private Optional<Row> earlier(String requestKey) {
        return jdbc.sql("select fingerprint, answer from ledger_request where request_key = ?").param(requestKey)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2))).optional();
    }

    private <T> T repeat(Row earlier, String fingerprint, String what, Class<T> answerType) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new WrongState(what + " was already used for a different request: send a new one for a new "
                    + "movement; nothing was recorded");
        }
        try {
            return json.readValue(earlier.answer(), answerType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the recorded answer of " + what + " cannot be read back", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
