package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * Staff from the company directory (Camunda's LDAP identity plugin, against UnboundID's in-memory directory seeded
 * from ldap/staff.ldif): a reviewer of the directory signs in to /engine-rest, /api/v1 and Tasklist with the
 * directory's password and claims a review; a wrong password is refused; a colleague in no staff group cannot use the engine.
 * The identity service is read-only then, and the service writes no demo user into it.
 */
@DisputeServiceTest
@TestPropertySource(properties = {
        "dispute.security.ldap.enabled=true",
        "dispute.security.ldap.manager-dn=cn=refund-desk,dc=kameng,dc=test",
        "dispute.security.ldap.base-dn=dc=kameng,dc=test"})
class StaffFromDirectoryTest {

    static final String PASSWORD = UUID.randomUUID().toString();
    static final String MANAGER_PASSWORD = UUID.randomUUID().toString();
    static final InMemoryDirectoryServer DIRECTORY = directory();

    @DynamicPropertySource
    static void theDirectory(DynamicPropertyRegistry registry) {
        registry.add("dispute.security.ldap.server-url", () -> "ldap://localhost:" + DIRECTORY.getListenPort() + "/");
        registry.add("dispute.security.ldap.manager-password", () -> MANAGER_PASSWORD);
    }

    @AfterAll
    static void stopTheDirectory() {
        DIRECTORY.shutDown(true);
    }

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired IdentityService identity;
    @Autowired ProcessEngine engine;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        ProcessEngines.registerProcessEngine(engine);
        ClockUtil.reset();
    }

    @Test
    void aReviewerOfTheDirectorySignsInAndClaimsAReview() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "申请退款");

        Api.As reviewer = api.as("li.shen", PASSWORD);
        Res found = reviewer.get("/engine-rest/task?processInstanceBusinessKey=" + d.id()
                + "&taskDefinitionKey=reviewRefundRequest");
        assertThat(found.status()).as("%s", found).isEqualTo(200);
        assertThat(found.json()).as("%s", found).hasSize(1);
        Res claimed = reviewer.post("/engine-rest/task/" + found.text("/0/id") + "/claim", Map.of("userId", "li.shen"));
        assertThat(claimed.status()).as("%s", claimed).isEqualTo(204);

        Res dispute = reviewer.get("/api/v1/disputes/" + d.id());
        assertThat(dispute.status()).as("the reviewer reads the dispute: %s", dispute).isEqualTo(200);

        Res arbiterSees = api.as("wang.cai", PASSWORD).get("/engine-rest/task?processInstanceBusinessKey=" + d.id()
                + "&taskDefinitionKey=reviewRefundRequest");
        assertThat(arbiterSees.json()).as("an arbiter is no reviewer: %s", arbiterSees).isEmpty();
    }

    @Test
    void aReviewerOfTheDirectorySignsInToTasklistAndReadsTheApiWithThatSession() throws Exception {
        java.net.CookieManager cookies = new java.net.CookieManager();
        java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder().cookieHandler(cookies).build();
        browser.send(request("/camunda/api/admin/auth/user/default").header("X-XSRF-TOKEN", "Fetch").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(java.net.HttpCookie::getValue).findFirst().orElseThrow();

        var login = browser.send(request("/camunda/api/admin/auth/user/default/login/tasklist")
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", xsrf)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=li.shen&password=" + PASSWORD))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("%s", login.body()).isEqualTo(200);
        assertThat(login.body()).contains("\"userId\":\"li.shen\"").contains("tasklist");

        var disputes = browser.send(request("/api/v1/disputes").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(disputes.statusCode()).as("a read with the Tasklist session: %s", disputes.body()).isEqualTo(200);
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path));
    }

    @Test
    void aWrongPasswordIsRefused() {
        // users no other scenario signs in as: a wrong password holds up that user's next try from this address
        assertThat(api.as("qian.fin", "not-" + PASSWORD).get("/engine-rest/task").status()).isEqualTo(401);
        Res apiAnswer = api.as("sun.ops", "not-" + PASSWORD).get("/api/v1/disputes");
        assertThat(apiAnswer.status()).as("%s", apiAnswer).isEqualTo(401);
        assertThat(apiAnswer.text("/detail")).contains("HTTP Basic");
    }

    @Test
    void aColleagueInNoStaffGroupCannotUseTheEngine() {
        Res answer = api.as("zhao.market", PASSWORD).get("/engine-rest/task");
        assertThat(answer.status()).as("%s", answer).isEqualTo(403);
        assertThat(answer.text("/detail")).contains("the engine's API is for the platform's staff");
    }

    @Test
    void theDirectoryIsReadOnlyAndHoldsNoDemoUser() {
        assertThat(identity.isReadOnly()).isTrue();
        assertThat(identity.createUserQuery().userId("buyer1").count()).isZero();
        assertThat(identity.createGroupQuery().groupMember("li.shen").list()).extracting(g -> g.getId())
                .containsExactly("reviewers");
    }

    private static InMemoryDirectoryServer directory() {
        try (InputStream seed = StaffFromDirectoryTest.class.getResourceAsStream("/ldap/staff.ldif")) {
            String ldif = new String(seed.readAllBytes(), StandardCharsets.UTF_8).replace("${password}", PASSWORD);
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=kameng,dc=test");
            config.addAdditionalBindCredentials("cn=refund-desk,dc=kameng,dc=test", MANAGER_PASSWORD);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
            config.setSchema(null); // the LDIF's entries as given, no schema checks
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.importFromLDIF(true, new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8))));
            server.startListening();
            return server;
        } catch (IOException | com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalStateException("the in-memory directory did not start", e);
        }
    }
}
