package org.lockstep.manifest.page;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver: no Selenium Manager, nothing downloaded. Saves
 * screenshots of the whole page under {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final int WIDTH = 1360;

    private final ChromeDriver driver;

    private final String baseUrl;

    Browser(String baseUrl, Path profile) {
        this(baseUrl, profile, true);
    }

    Browser(String baseUrl, Path profile, boolean javascript) {
        this.baseUrl = baseUrl;
        ChromeOptions options = new ChromeOptions();
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.default_content_setting_values.javascript", 2));
        }
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + WIDTH + ",1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /**
     * The element's visible text. Retried while the page's script swaps the element for a fresher one between
     * finding and reading it.
     */
    String text(String css) {
        return retrying(() -> find(css).getText());
    }

    String attribute(String css, String name) {
        return retrying(() -> find(css).getAttribute(name));
    }

    void click(String css) {
        retrying(() -> {
            find(css).click();
            return null;
        });
    }

    /** Opens a repository's operator panel; once open, the page's script leaves it alone. */
    void openActions(String repo) {
        await(Duration.ofSeconds(10), d -> {
            try {
                WebElement details = d.findElement(By.id("actions-" + repo));
                if (details.getAttribute("open") == null) {
                    details.findElement(By.tagName("summary")).click();
                }
                return d.findElement(By.id("actions-" + repo)).getAttribute("open") != null;
            }
            catch (WebDriverException ex) {
                return false;
            }
        });
    }

    /** Waits (polling, no reload) until {@code condition} holds; the page's own script must bring the change. */
    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
    }

    /** Waits until the element's text contains {@code expected}. */
    void awaitText(String css, String expected, Duration timeout) {
        await(timeout, d -> {
            try {
                return d.findElement(By.cssSelector(css)).getText().contains(expected);
            }
            catch (WebDriverException ex) {
                // Not there yet, or swapped for a fresher copy while being read.
                return false;
            }
        });
    }

    private static <T> T retrying(Supplier<T> action) {
        WebDriverException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return action.get();
            }
            catch (NoSuchElementException ex) {
                throw ex;
            }
            catch (WebDriverException ex) {
                last = ex;
                sleep();
            }
        }
        throw last;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves the whole page, not just the viewport, as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            script("window.scrollTo(0, 0);");
            long height = ((Number) script("return document.documentElement.scrollHeight;")).longValue();
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", WIDTH, "height", height, "scale", 1)));
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
            return target;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String cookie(String name) {
        var cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : cookie.getValue();
    }

    void forgetSession() {
        driver.manage().deleteAllCookies();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
