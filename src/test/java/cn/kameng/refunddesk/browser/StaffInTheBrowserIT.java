package cn.kameng.refunddesk.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.RequestOptions;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockMultipartFile;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceService;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The staff's day in a real browser (Debian's Chromium through Playwright) against the whole service:
 * Tasklist as reviewer1, arbiter1 and senior1, Cockpit as ops1. Each screen is kept as a screenshot
 * under target/browser-screenshots for review.
 */
@DisputeServiceTest
class StaffInTheBrowserIT {

    static Browser browser;
    static final java.util.Set<String> loginShown = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired EvidenceService evidence;
    @Autowired DisputeService disputes;
    @Autowired IdentityService identity;
    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtime;
    @Autowired ManagementService management;

    @BeforeAll
    static void chromium() {
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000); // two shared cores: a sign-in took over 15 s at load 10
        browser = new Browser();
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @BeforeEach
    void webappsUseThisContextsEngine() {
        // The webapps and /engine-rest find their engine by name ("default") in Camunda's static registry,
        // which holds the engine of the Spring context started last; point it back at this context's engine.
        ProcessEngines.registerProcessEngine(engine);
    }

    @Test
    void reviewer1FindsTheReviewClaimsItIsToldWhatIsWrongAndApproves() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密发货时有效", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "卡密显示已被使用");

        Page page = signIn("tasklist", "reviewer1");
        assertThat(page.locator(".task-filters")).containsText("我的审核 Reviews");
        assertThat(page.locator(".task-filters")).not().containsText("仲裁队列");
        openTask(page, "我的审核 Reviews", d.id());
        assertThat(taskTitle(page)).containsText("审核退款申请 " + d.id() + " · ¥25.00 · 卡密无效 · 截止 ");
        claim(page);
        Locator form = page.locator(".fjs-form");
        assertThat(form).containsText("本案要点");
        assertThat(form).containsText("¥25.00（2500 分） · 卡密无效 · 截止");
        assertThat(form).containsText("案件详情");
        assertThat(page.locator("input[id$='reviewRefundRequest_approvedAmountFen']")).not().isVisible();
        assertThat(page.locator("button[ng-click='complete()']")).hasText("完成");
        assertThat(form).containsText(d.id());
        assertThat(form).containsText(d.orderId());
        assertThat(page.locator("textarea[id$='reviewRefundRequest_merchantAnswer']")).hasValue("拒绝：卡密发货时有效");
        assertThat(page.locator("textarea[id$='reviewRefundRequest_merchantAnswer']")).isDisabled();
        Browser.screenshot(page, "01-reviewer1-claimed-review-with-case-facts");

        // more than was paid: the form says so under the field and Tasklist will not submit it
        page.locator("input[id$='reviewRefundRequest_reviewDecision-0']").check();
        page.locator("input[id$='reviewRefundRequest_approvedAmountFen']").fill("2501");
        page.locator("textarea[id$='reviewRefundRequest_reviewNote']").fill("同意退款");
        assertThat(page.locator(".fjs-form-field-error").first()).containsText("不得大于 2500");
        assertThat(page.locator("button[ng-click='complete()']")).isDisabled();
        Browser.screenshot(page, "02-reviewer1-told-the-amount-is-above-what-was-paid");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);

        Locator amount = page.locator("input[id$='reviewRefundRequest_approvedAmountFen']");
        amount.fill("");
        amount.pressSequentially("2500");
        amount.press("Tab");
        assertThat(amount).hasValue("2500");
        page.locator("textarea[id$='reviewRefundRequest_reviewNote']").fill("证据充分，同意退款");
        Locator errors = page.locator(".fjs-form-field-error");
        if (!waitsFor(() -> errors.count() == 0, Duration.ofSeconds(5))) {
            // form-js debounces typing; on a loaded machine a correction can land before the old error is
            // re-checked. Keep what was shown, then correct the field once more as a user would.
            Browser.screenshot(page, "02b-reviewer1-error-still-shown-" + String.join("-", errors.allTextContents())
                    .replaceAll("[^0-9A-Za-z]+", "_"));
            amount.fill("2500");
            amount.press("Tab");
            // the note too: a re-render of the debounced amount can put back the note as it was before typing
            page.locator("textarea[id$='reviewRefundRequest_reviewNote']").fill("证据充分，同意退款");
        }
        assertThat(errors).hasCount(0);
        complete(page);
        assertThat(page.locator("#refund-desk-notice")).containsText("已完成并提交：审核退款申请 " + d.id());
        assertGone(page, d.id());
        Browser.screenshot(page, "03-reviewer1-review-completed");
        assertThat(given.get(d.id()).status()).as("the dispute moves on to the refund").isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void arbiter1RulesAndSenior1ApprovesOnFourEyes() throws Exception {
        Dispute d = inArbitration(150000);
        byte[] screenshot = EvidenceFiles.png();
        Evidence uploaded = evidence.upload(TestDisputes.BUYER1, d.id(), "ORDER_SCREENSHOT",
                new MockMultipartFile("file", "order-screenshot.png", "image/png", screenshot));

        Page arbiter = signIn("tasklist", "arbiter1");
        openTask(arbiter, "仲裁队列 Arbitration queue", d.id());
        claim(arbiter);
        assertThat(arbiter.locator(".fjs-form")).containsText(d.id());
        // the evidence list: each file a link that opens with the Tasklist session, and the dossier
        Locator file = arbiter.locator(".fjs-form a[href='/api/v1/disputes/" + d.id() + "/evidence/" + uploaded.id() + "']");
        assertThat(file).hasText("order-screenshot.png");
        assertThat(arbiter.locator(".fjs-form")).containsText("sha256 " + uploaded.sha256().substring(0, 12));
        assertThat(arbiter.locator(".fjs-form a[href='/api/v1/disputes/" + d.id() + "/dossier']")).isVisible();
        assertThat(arbiter.locator(".fjs-form")).containsText("四眼审批：退款金额达到 ¥1,000.00 的裁决");
        Browser.screenshot(arbiter, "04a-arbiter1-sees-the-evidence-with-links");
        // the photo opens in the browser with the Tasklist session, as the very bytes the customer uploaded
        Page photo = arbiter.context().newPage();
        com.microsoft.playwright.Response opened = photo.navigate(base() + file.getAttribute("href"));
        assertThat(opened.headerValue("content-disposition")).startsWith("inline");
        assertThat(opened.headerValue("content-security-policy")).startsWith("sandbox");
        assertThat(opened.body()).as("the very file the customer uploaded").isEqualTo(screenshot);
        assertThat(photo.locator("img")).hasCount(1);
        Browser.screenshot(photo, "04b-arbiter1-opens-the-photo-inline");
        photo.close();
        // the session opens files, it cannot act: a write with only the Tasklist cookie is refused
        APIResponse write = arbiter.context().request().post(base() + "/api/v1/disputes/" + d.id() + "/withdrawal",
                RequestOptions.create().setData(Map.of("note", "x")));
        assertThat(write.status()).isEqualTo(401);
        arbiter.locator("input[id$='arbitrateDispute_ruling-0']").check(); // REFUND_FULL
        arbiter.locator("textarea[id$='arbitrateDispute_rulingReason']").fill("商家失联，未能举证，全额退款");
        Browser.screenshot(arbiter, "04-arbiter1-rules-a-full-refund");
        complete(arbiter);
        assertThat(arbiter.locator("#refund-desk-notice")).containsText("已完成并提交");
        assertGone(arbiter, d.id());
        arbiter.context().close();
        assertThat(given.task(d.id(), ProcessIds.Task.APPROVE_RULING)).as("1,500 CNY needs four eyes").isNotNull();

        Page senior = signIn("tasklist", "senior1");
        openTask(senior, "四眼审批 Four-eyes approvals", d.id());
        assertThat(taskTitle(senior)).containsText("四眼审批裁决 " + d.id() + " · ¥1,500.00");
        claim(senior);
        assertThat(senior.locator("input[id$='approveRuling_arbiterId']")).hasValue("arbiter1");
        assertThat(senior.locator("textarea[id$='approveRuling_rulingReasonText']")).hasValue("商家失联，未能举证，全额退款");
        senior.locator("input[id$='approveRuling_rulingApproved-0']").check(); // approve
        Browser.screenshot(senior, "05-senior1-approves-the-ruling");
        complete(senior);
        assertGone(senior, d.id());
        senior.context().close();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void arbiter1IsRefusedAsApproverOfTheirOwnRuling() {
        Dispute d = inArbitration(150000);
        // arbiter1 also sits on the senior bench for this case: the server refuses them the approval
        identity.createMembership("arbiter1", Caller.SENIOR_ARBITERS);
        try {
            Page page = signIn("tasklist", "arbiter1");
            openTask(page, "仲裁队列 Arbitration queue", d.id());
            claim(page);
            page.locator("input[id$='arbitrateDispute_ruling-0']").check();
            page.locator("textarea[id$='arbitrateDispute_rulingReason']").fill("商家失联，全额退款");
            complete(page);
            assertGone(page, "仲裁 " + d.id());

            // the approval of their own ruling is not in their queue at all: nothing to claim and be refused
            page.locator(".task-filters").getByText("四眼审批 Four-eyes approvals").click();
            assertThat(page.locator("section.tasks-list")).containsText("没有符合筛选条件的任务");
            assertThat(page.locator("section.tasks-list").getByText(d.id())).hasCount(0);
            page.locator(".task-filters").getByText("已逾期 Overdue").click();
            assertThat(page.locator("section.tasks-list").getByText(d.id())).hasCount(0);
            page.locator(".task-filters").getByText("四眼审批 Four-eyes approvals").click();
            Browser.screenshot(page, "06-arbiter1-does-not-see-the-approval-of-own-ruling");
            page.context().close();
        } finally {
            identity.deleteMembership("arbiter1", Caller.SENIOR_ARBITERS);
        }
        assertThat(given.task(d.id(), ProcessIds.Task.APPROVE_RULING).getAssignee())
                .as("still in the queue for another senior, held by nobody").isNull();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);
    }

    @Test
    void controlsTheEngineWouldRefuseAreNotShownButAnAdministratorHasThem() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密发货时有效", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "卡密显示已被使用");

        // reviewer1 may neither create tasks nor hand them to someone else: no 新建任务, no editable 处理人
        Page reviewer = signIn("tasklist", "reviewer1");
        assertThat(reviewer.locator("body")).hasClass(java.util.regex.Pattern.compile(".*\\brefund-desk-rights-known\\b.*"));
        assertThat(reviewer.locator("body")).hasClass(java.util.regex.Pattern.compile(
                ".*\\brefund-desk-cannot-create-task\\b.*"));
        assertThat(reviewer.locator("body")).hasClass(java.util.regex.Pattern.compile(".*\\brefund-desk-cannot-assign\\b.*"));
        assertThat(reviewer.locator(".create-task-action")).not().isVisible();
        assertThat(reviewer.getByText("新建任务")).not().isVisible();
        openTask(reviewer, "我的审核 Reviews", d.id());
        claim(reviewer);
        Locator assignee = reviewer.locator(".task-details .assignee [cam-widget-inline-field]");
        assertThat(assignee).containsText("审核员");
        assertThat(assignee).hasCSS("pointer-events", "none");
        assignee.click(new Locator.ClickOptions().setForce(true));
        assertThat(reviewer.locator(".task-details .assignee input")).hasCount(0);
        // nor by keyboard: Tasklist opens the field on Enter (a click in script, which CSS does not stop)
        assignee.focus();
        reviewer.keyboard().press("Enter");
        reviewer.waitForTimeout(1_000);
        assertThat(reviewer.locator(".task-details .assignee input")).hasCount(0);
        Browser.screenshot(reviewer, "09-reviewer1-no-create-task-and-no-assignee-field");
        reviewer.context().close();

        // the same screen for an administrator, who may do both: the controls are there
        Page admin = signIn("tasklist", "admin");
        assertThat(admin.locator("body")).hasClass(java.util.regex.Pattern.compile(".*\\brefund-desk-rights-known\\b.*"));
        assertThat(admin.locator(".create-task-action")).isVisible();
        assertThat(admin.locator(".create-task-action")).containsText("新建任务");
        assertThat(admin.locator("body")).not().hasClass(java.util.regex.Pattern.compile(
                ".*\\brefund-desk-cannot-(create-task|assign)\\b.*"));
        Browser.screenshot(admin, "10-admin-create-task-shown");
        admin.context().close();
        disputes.withdrawal(TestDisputes.BUYER1, d.id(), "测试结束，撤回"); // merchant1's deposit holds nothing of it
    }

    @Test
    void englishStaysSelectable() {
        Page page = browser.newPage();
        page.navigate(base() + "/camunda/app/tasklist/default/?lang=en");
        assertThat(page.locator("button[type=submit]")).hasText("Log in");
        assertThat(page.locator("#refund-desk-lang")).hasText("中文");
        page.locator("#refund-desk-lang").click();
        assertThat(page.locator("button[type=submit]")).hasText("登录");
        page.context().close();
    }

    @Test
    void ops1FindsTheDisputeInCockpitByItsIdAndReadsTheFailedRefundsIncident() {
        Dispute d = given.open(given.order(2500), Reason.INVALID_CARD_KEY);
        given.setGatewayBehaviour(d.orderId(), "TIMEOUT");
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        failRefundForGood(d);

        Page page = signIn("cockpit", "ops1");
        // from Cockpit's start page: one click into the search, paste the id, Enter
        Locator search = page.locator("#refund-desk-dispute-id");
        assertThat(page.locator(".refund-desk-find-dispute")).containsText("按争议编号查找");
        search.click();
        search.fill(d.id());
        Browser.screenshot(page, "07-ops1-finds-the-dispute-by-its-id-from-the-start-page");
        search.press("Enter");
        page.waitForURL(java.util.regex.Pattern.compile(".*#/process-instance/[^/]+/runtime.*"));
        assertThat(page.locator("body")).containsText(d.id());

        page.getByText("故障").first().click();
        assertThat(page.locator("body")).containsText("退款请求未送达支付渠道：渠道恢复后在 Cockpit 对此作业点击重试");
        assertThat(page.locator("body")).containsText("retry this job in Cockpit");
        Browser.screenshot(page, "08-ops1-reads-the-failed-refund-incident");
        page.context().close();
    }

    // ------------------------------------------------------------------ steps of a user in the webapps

    private String base() {
        return "http://localhost:" + port;
    }

    private Page signIn(String app, String user) {
        Page page = browser.newPage();
        java.util.List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onResponse(r -> {
            if (r.status() >= 400) {
                failed.add(r.status() + " " + r.url());
            }
        });
        page.navigate(base() + "/camunda/app/" + app + "/");
        // Chinese by default though the browser asks for en-US; no Camunda 8 banner; no failed request on load
        assertThat(page.locator("button[type=submit]")).hasText("登录");
        assertThat(page.locator("input[ng-model=username]")).hasAttribute("placeholder", "用户名");
        assertThat(page.locator(".ce-eol-banner")).not().isVisible();
        assertThat(page.locator("body")).not().containsText("Camunda 8");
        if (!loginShown.contains(app)) {
            loginShown.add(app);
            Browser.screenshot(page, "00-" + app + "-login-in-chinese");
        }
        // Angular has compiled the form (it marks its inputs ng-pristine) before anything is typed into it
        assertThat(page.locator("input[ng-model=username]")).hasClass(java.util.regex.Pattern.compile(".*\\bng-pristine\\b.*"));
        page.locator("input[ng-model=username]").fill(user);
        page.locator("input[ng-model=password]").fill("demo");
        page.locator("button[type=submit]").click();
        if (!waitsFor(() -> page.locator("input[ng-model=username]").count() == 0, Duration.ofSeconds(15))) {
            page.locator("button[type=submit]").click(); // a click lost while the page was still busy: as a user would
        }
        assertThat(page.locator("input[ng-model=username]")).hasCount(0);
        assertThat(page.locator("body")).not().containsText("Camunda 8");
        assertThat(failed).as("no request failed while the page loaded and signed in").isEmpty();
        return page;
    }

    private void openTask(Page page, String filter, String disputeId) {
        page.locator(".task-filters").getByText(filter).click();
        page.locator("section.tasks-list").getByText(disputeId).first().click();
        assertThat(taskTitle(page)).containsText(disputeId);
        // the form is rendered with the task's variables only after a few requests; what is typed before is lost
        assertThat(page.locator(".fjs-form")).containsText(disputeId);
    }

    private static Locator taskTitle(Page page) {
        return page.locator(".task-details").first();
    }

    /** The task left the list: completed, or at least no longer the user's to do. */
    private static void assertGone(Page page, String text) {
        assertThat(page.locator("section.tasks-list").getByText(text)).hasCount(0);
    }

    private static void claim(Page page) {
        page.waitForResponse(r -> r.url().endsWith("/claim"), () -> page.locator("button.claim").click());
        assertThat(page.locator("button.claim")).hasCount(0);
        assertThat(page.locator("button[ng-click='complete()']")).isEnabled();
    }

    private static void complete(Page page) {
        page.locator("button[ng-click='complete()']").click();
    }

    private Dispute inArbitration(long amountFen) {
        Dispute d = given.open(amountFen, Reason.MERCHANT_VANISHED);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(d.id()); // the vanished merchant's 48 hours for proof run out
        ClockUtil.reset();
        return d;
    }

    private void failRefundForGood(Dispute d) {
        Job job = management.createJobQuery().processInstanceId(given.instance(d.id()).getId())
                .activityId(ProcessIds.Element.SERVICE_TASK_REQUEST_REFUND).singleResult();
        runFailing(job);
        management.setJobRetries(job.getId(), 1); // skip the rest of the R5/PT1M cycle: this is the last attempt
        runFailing(job);
        assertThat(runtime.createIncidentQuery().processInstanceId(given.instance(d.id()).getId()).list())
                .hasSize(1);
    }

    private void runFailing(Job job) {
        try {
            management.executeJob(job.getId());
            throw new AssertionError("the sandbox gateway was set to time out");
        } catch (RuntimeException expected) {
            assertThat(expected).hasMessageContaining("退款请求未送达支付渠道");
        }
    }

    private static boolean waitsFor(java.util.function.BooleanSupplier condition, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

}
