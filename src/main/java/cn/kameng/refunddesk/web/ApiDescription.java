package cn.kameng.refunddesk.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of /api/v1 (springdoc; committed as docs/openapi.yaml): its two ways to sign in, and the
 * problem+json answers every operation may give (web/ProblemHandler's and the sign-in's), described once here
 * rather than on each controller method.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

    static final String BEARER = "bearerToken";
    static final String BASIC = "staffBasic";
    static final String PROBLEM = "Problem";

    /** Every status the service answers with problem+json, and when. */
    static final Map<String, String> PROBLEMS = new LinkedHashMap<>();

    static {
        PROBLEMS.put("400", "The request is malformed or breaks a rule of its fields (the problem's errors name them).");
        PROBLEMS.put("401", "No, or a bad, sign-in: the sentence says what was wrong with the token or password.");
        PROBLEMS.put("403", "Signed in, but this is not the caller's to see or do.");
        PROBLEMS.put("404", "No such dispute, evidence, complaint or other resource for this caller.");
        PROBLEMS.put("409", "The dispute is not in a state that allows this, or another request changed it first.");
        PROBLEMS.put("422", "Understood, but refused by a rule of the dispute process.");
        PROBLEMS.put("429", "Too many attempts; Retry-After says when to try again.");
        PROBLEMS.put("503", "A service this request needs (e.g. the identity provider's keys) is unavailable now.");
    }

    @Bean
    OpenAPI refundDeskApi() {
        return new OpenAPI()
                .info(new Info().title("卡盟 refund dispute service API").version("v1")
                        .description("Customers and merchants open and answer refund disputes; staff decide them. "
                                + "Every error is application/problem+json with a sentence in detail."))
                // a fixed, relative server: the document is the same whichever host or port serves it
                .servers(List.of(new Server().url("/").description("this service")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("Customers and merchants: a JWT from the platform's identity provider "
                                        + "(dispute.security.jwt), for this service's audience, with the party's id "
                                        + "and role (CUSTOMER or MERCHANT)."))
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("Staff: a user of the Camunda identity service (or the company "
                                        + "directory). Customers and merchants only in the demo profile.")))
                .security(List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(BASIC)));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri").example("about:blank"))
                .addProperty("title", new StringSchema().example("Conflict"))
                .addProperty("status", new IntegerSchema().example(409))
                .addProperty("detail", new StringSchema().description("what is wrong, in a sentence"))
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("errors", new MapSchema().additionalProperties(new StringSchema())
                        .description("field → what is wrong with it (400 only)"));
    }

    /**
     * Operation ids that do not depend on the order springdoc meets the controllers in (it numbers clashes such as
     * get_1): the method's name and its controller's, e.g. getDispute, receivePaymentNotification.
     */
    @Bean
    org.springdoc.core.customizers.OperationCustomizer stableOperationIds() {
        return (operation, handler) -> operation.operationId(handler.getMethod().getName()
                + handler.getBeanType().getSimpleName().replace("Controller", ""));
    }

    /** The problem answers on every operation; the gateways' notifications need no sign-in (they are signed). */
    @Bean
    OpenApiCustomizer problemAnswers() {
        return api -> {
            // here, not on the OpenAPI bean: springdoc drops schemas no operation refers to before customizers run
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().forEach((path, item) -> problems(path, item));
        };
    }

    private static void problems(String path, PathItem item) {
        boolean open = path.startsWith("/api/v1/payment-notifications") || path.startsWith("/api/v1/channels/")
                || path.equals("/api/v1/platform/deposit-events");
        for (Operation operation : item.readOperations()) {
            if (open) {
                operation.setSecurity(List.of());
            }
            PROBLEMS.forEach((status, description) -> {
                boolean signIn = status.equals("401") || status.equals("403");
                if ((open && signIn) || operation.getResponses().containsKey(status)) {
                    return;
                }
                operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
            });
        }
    }
}
