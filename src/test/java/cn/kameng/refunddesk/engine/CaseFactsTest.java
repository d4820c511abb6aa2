package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A file name a party chose is shown as the text of its link, never as Markdown of its own. */
class CaseFactsTest {

    @Test
    void aFileNameCannotOpenALinkOfItsOwnInTheArbitersForm() {
        String hostile = "收据](https://evil.example/steal)[点我.png";

        String text = CaseFacts.markdownText(hostile);

        assertThat(text).isEqualTo("收据\\](https://evil.example/steal)\\[点我.png".replace("(", "\\(").replace(")", "\\)"));
        assertThat(text.replaceAll("\\\\.", "")).doesNotContain("[", "]", "(", ")");
    }

    @Test
    void anOrdinaryFileNameIsLeftAsItIs() {
        assertThat(CaseFacts.markdownText("订单截图 2026.png")).isEqualTo("订单截图 2026.png");
    }
}
