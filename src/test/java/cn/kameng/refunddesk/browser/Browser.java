package cn.kameng.refunddesk.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium driven by Playwright: no browser is downloaded. A machine without /usr/bin/chromium gets
 * Debian's packages installed here when it can (root and apt-get; .ci/run does the same first), and fails the
 * browser tests otherwise rather than skipping them.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Paths.get("target", "browser-screenshots");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    Browser() {
        if (!Files.isExecutable(CHROMIUM)) {
            installDebianChromium();
        }
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium"
                    + " (apt-get update && apt-get install -y chromium), as .ci/run does");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        chromium = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu")));
    }

    /** apt-get install chromium fonts-wqy-zenhei, as root on a Debian machine; anything else is left to the caller. */
    private static void installDebianChromium() {
        if (!CHROMIUM.equals(Paths.get("/usr/bin/chromium")) || !Files.isExecutable(Paths.get("/usr/bin/apt-get"))
                || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            for (List<String> command : List.of(List.of("apt-get", "update"), List.of("apt-get", "install", "-y",
                    "--no-install-recommends", "chromium", "fonts-wqy-zenhei"))) {
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process apt = builder.start();
                apt.getOutputStream().close();
                if (apt.waitFor() != 0) {
                    return;
                }
            }
        } catch (java.io.IOException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fresh browser profile (no cookies, no session): one staff member at their desk. */
    Page newPage() {
        BrowserContext context = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setLocale("en-US").setTimezoneId("Asia/Shanghai").setViewportSize(1400, 1000));
        context.setDefaultTimeout(40_000);
        return context.newPage();
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }
}
