package cn.kameng.refunddesk.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import cn.kameng.refunddesk.platform.PlatformStub.Endpoint;

/**
 * The stubs the adapters are tested against, and the adapters' own readers, follow docs/platform-api.yaml:
 * every stubbed operation is in the contract, every stubbed body has its schema's required fields with
 * allowed values, and the adapters read and send no field the contract does not define.
 */
class PlatformContractTest {

    private static final Map<String, Object> CONTRACT = load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (Reader in = Files.newBufferedReader(Path.of("docs/platform-api.yaml"))) {
            return (Map<String, Object>) new Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String... keys) {
        Object at = o;
        for (String k : keys) {
            assertThat(at).as("contract has " + String.join(".", keys)).isInstanceOf(Map.class);
            at = ((Map<String, Object>) at).get(k);
            assertThat(at).as("contract has " + k + " in " + String.join(".", keys)).isNotNull();
        }
        return (Map<String, Object>) at;
    }

    private static Map<String, Object> schema(String name) {
        return map(CONTRACT, "components", "schemas", name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> required(String name) {
        return (List<String>) schema(name).get("required");
    }

    static Stream<Arguments> stubbedAnswers() {
        return Stream.of(
                Arguments.of(Endpoint.ORDER, "200", PlatformStub.order("O-1", "buyer1", "ALIPAY", "CARD_KEY", "K")),
                Arguments.of(Endpoint.ORDER, "200", PlatformStub.order("O-1", "buyer1", "BANK_CARD", "RECHARGE", null)),
                Arguments.of(Endpoint.ORDER_STATISTICS, "200", PlatformStub.statistics(120, 360_000)),
                Arguments.of(Endpoint.ORDER_STATISTICS, "200", PlatformStub.statistics(0, 0)),
                Arguments.of(Endpoint.CARD_KEY, "200", PlatformStub.redemption("K", "REDEEMED", "2026-11-30T10:00:00Z",
                        "x")),
                Arguments.of(Endpoint.CARD_KEY, "200", PlatformStub.redemption("K", "UNUSED", null, null)),
                Arguments.of(Endpoint.CHAT, "200", PlatformStub.chat("O-1", "buyer1", "hi", "merchant1", "ok")),
                Arguments.of(Endpoint.CHAT, "200", PlatformStub.chat("O-1")),
                Arguments.of(Endpoint.REFUND, "201", PlatformStub.refund("RF-1", "SUCCEEDED", 2500L, null)),
                Arguments.of(Endpoint.REFUND, "200", PlatformStub.refund("RF-1", "FAILED", null, "refused")),
                Arguments.of(Endpoint.REFUND_STATE, "200", PlatformStub.refund("RF-1", "PROCESSING", null, null)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stubbedAnswers")
    void eachStubbedAnswerIsOneTheContractAllows(Endpoint endpoint, String status, String body) throws Exception {
        Map<String, Object> operation = map(CONTRACT, "paths", endpoint.template, endpoint.method.toLowerCase());
        Map<String, Object> response = map(operation, "responses", status);
        assertThat(map(response, "content", "application/json", "schema").get("$ref"))
                .isEqualTo("#/components/schemas/" + endpoint.schema);

        conforms(endpoint.schema, new ObjectMapper().readTree(body));
    }

    @SuppressWarnings("unchecked")
    private void conforms(String schemaName, JsonNode body) {
        Map<String, Object> properties = map(schema(schemaName), "properties");
        assertThat(body.properties().stream().map(Map.Entry::getKey)).as(schemaName)
                .containsAll(required(schemaName));
        properties.forEach((name, definition) -> {
            Map<String, Object> def = (Map<String, Object>) definition;
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                assertThat(required(schemaName).contains(name) && !Boolean.TRUE.equals(def.get("nullable")))
                        .as(schemaName + "." + name + " may be null").isFalse();
                return;
            }
            if (def.get("enum") != null) {
                assertThat((List<String>) def.get("enum")).as(schemaName + "." + name).contains(value.asText());
            }
            if ("integer".equals(def.get("type"))) {
                assertThat(value.isIntegralNumber()).as(schemaName + "." + name + " is an integer").isTrue();
            }
            if (def.get("$ref") == null && "array".equals(def.get("type"))) {
                String item = ((String) ((Map<String, Object>) def.get("items")).get("$ref"))
                        .replace("#/components/schemas/", "");
                value.forEach(element -> conforms(item, element));
            }
        });
    }

    @Test
    void theStubsAnswerTheStatusesTheContractNamesForNotFoundAndRefusals() {
        assertThat(map(CONTRACT, "paths", Endpoint.ORDER.template, "get", "responses")).containsKeys("404", "401", "503");
        assertThat(map(CONTRACT, "paths", Endpoint.CARD_KEY.template, "get", "responses")).containsKey("404");
        assertThat(map(CONTRACT, "paths", Endpoint.ORDER_STATISTICS.template, "get", "responses")).containsKey("404");
        assertThat(map(CONTRACT, "paths", Endpoint.CHAT.template, "get", "responses")).containsKey("404");
        assertThat(map(CONTRACT, "paths", Endpoint.REFUND.template, "post", "responses")).containsKeys("422", "503");
        assertThat(map(CONTRACT, "paths", Endpoint.REFUND_STATE.template, "get", "responses")).containsKey("404");
    }

    @Test
    void theAdaptersReadAndSendOnlyFieldsTheContractDefines() {
        assertFields(HttpOrderDirectory.OrderBody.class, "Order");
        assertFields(HttpOrderDirectory.StatisticsBody.class, "OrderStatistics");
        assertFields(HttpCardKeySupplier.RedemptionBody.class, "CardKeyRedemption");
        assertFields(HttpChatLog.ChatBody.class, "ChatMessages");
        assertFields(HttpChatLog.MessageBody.class, "ChatMessage");
        assertFields(PlatformBalanceGateway.AnswerBody.class, "BalanceRefund");
        assertFields(PlatformBalanceGateway.RefundBody.class, "BalanceRefundRequest");
        assertThat(Arrays.stream(PlatformBalanceGateway.RefundBody.class.getRecordComponents())
                .map(c -> c.getName())).containsExactlyInAnyOrderElementsOf(required("BalanceRefundRequest"));
        assertThat(Arrays.stream(PlatformBalanceGateway.BalanceState.values()).map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(enumOf("BalanceRefund", "state"));
    }

    @Test
    void theDepositEventWeTakeIsTheOneTheContractDescribesForThePlatformToSend() {
        Map<String, Object> operation = map(CONTRACT, "paths", DepositEventController.PATH, "post");
        assertThat(map(operation, "responses").keySet()).contains("200", "400", "401", "404", "409");
        assertThat(Arrays.stream(DepositEventController.DepositEvent.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactlyInAnyOrderElementsOf(required("DepositEvent"))
                .containsExactlyInAnyOrderElementsOf(map(schema("DepositEvent"), "properties").keySet());
        assertThat(Arrays.stream(DepositEventController.DepositEventType.values()).map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(enumOf("DepositEvent", "type"));
        assertFields(DepositEventController.DepositEventRecorded.class, "DepositEventRecorded");
        assertThat(map(schema("DepositEvent"), "properties", "amountFen").get("maximum").toString())
                .isEqualTo(Long.toString(DepositEventController.MAX_FEN));
    }

    @SuppressWarnings("unchecked")
    private static List<String> enumOf(String schema, String property) {
        return (List<String>) map(schema(schema), "properties", property).get("enum");
    }

    private static void assertFields(Class<? extends Record> reader, String schemaName) {
        assertThat(map(schema(schemaName), "properties").keySet()).as(reader.getSimpleName() + " vs " + schemaName)
                .containsAll(Arrays.stream(reader.getRecordComponents()).map(c -> c.getName()).toList());
    }

    @Test
    void theSignatureHeadersWeSendAreTheOnesTheContractDocuments() {
        Map<String, Object> parameters = map(CONTRACT, "components", "parameters");
        assertThat(Stream.of("KeyId", "Timestamp", "Nonce", "Signature").map(p -> map(parameters, p).get("name")))
                .containsExactly(RequestSigner.KEY_ID, RequestSigner.TIMESTAMP, RequestSigner.NONCE,
                        RequestSigner.SIGNATURE);
        assertThat((String) map(CONTRACT, "info").get("description"))
                .contains("METHOD", "path?query", "timestamp", "nonce", "hex(sha256(body))", "300 seconds");
        assertThat(map(CONTRACT, "paths", Endpoint.REFUND.template, "post").toString()).contains("Idempotency-Key");
    }
}
