package cn.kameng.refunddesk.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.appeal.AppealStatus;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * A buyer's appeal of a rejection in Tasklist, in Chinese: arbiter2 (not arbiter1, who ruled) finds it under
 * 申诉 Appeals, reads the ruling and the statement on the form and upholds the ruling with a reason.
 */
@DisputeServiceTest
class AppealInTheBrowserIT {

    static Browser browser;

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired Appeals appeals;
    @Autowired ProcessEngine engine;

    @BeforeAll
    static void chromium() {
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        browser = new Browser();
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void webappsUseThisContextsEngine() {
        ClockUtil.reset();
        ProcessEngines.registerProcessEngine(engine);
    }

    @Test
    void aSecondArbiterDecidesTheBuyersAppealInChinese() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.REFUSE, null, "卡密已使用", null));
        disputes.intervention(TestDisputes.BUYER1, d.id(), "商家拒绝，申请平台介入");
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(TestDisputes.MERCHANT1, d.id(), "使用记录已上传");
        given.completeAs("arbiter1", given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(
                ProcessIds.Var.RULING, "REJECT", ProcessIds.Var.RULING_REASON, "使用记录显示买家已使用卡密"));
        appeals.file(TestDisputes.BUYER1, d.id(), "使用记录里的设备不是我的手机");

        Page page = signIn("arbiter2");
        page.locator(".task-filters").getByText("申诉 Appeals").click();
        page.locator("section.tasks-list").getByText(d.id()).first().click();
        assertThat(page.locator(".task-details").first()).containsText("复核申诉 " + d.id());
        assertThat(page.locator(".fjs-form")).containsText(d.id());
        page.waitForResponse(r -> r.url().endsWith("/claim"), () -> page.locator("button.claim").click());
        assertThat(page.locator(".fjs-form")).containsText("裁决申诉复核");
        assertThat(page.locator(".fjs-form")).containsText("买家申诉");
        assertThat(page.locator("textarea[id$='decideAppeal_rulingReasonText']")).hasValue("使用记录显示买家已使用卡密");
        assertThat(page.locator("textarea[id$='decideAppeal_appealStatement']")).hasValue("使用记录里的设备不是我的手机");
        page.locator("input[id$='decideAppeal_appealDecision-0']").check(); // UPHOLD
        page.locator("textarea[id$='decideAppeal_appealNote']").fill("设备指纹与买家账号一致，维持原裁决");
        Browser.screenshot(page, "appeal-01-arbiter2-upholds-the-ruling");
        page.locator("button[ng-click='complete()']").click();
        assertThat(page.locator("section.tasks-list").getByText(d.id())).hasCount(0);
        page.context().close();

        var appeal = appeals.of(d.id()).orElseThrow();
        assertThat(appeal.status()).isEqualTo(AppealStatus.UPHELD);
        assertThat(appeal.decidedBy()).isEqualTo("arbiter2");
        assertThat(appeal.decisionNote()).isEqualTo("设备指纹与买家账号一致，维持原裁决");
    }

    private Page signIn(String user) {
        Page page = browser.newPage();
        page.navigate("http://localhost:" + port + "/camunda/app/tasklist/");
        assertThat(page.locator("button[type=submit]")).hasText("登录");
        page.locator("input[ng-model=username]").fill(user);
        page.locator("input[ng-model=password]").fill("demo");
        page.locator("button[type=submit]").click();
        assertThat(page.locator("input[ng-model=username]")).hasCount(0);
        return page;
    }
}
