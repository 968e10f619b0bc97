package dev.maze.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.maze.core.node.NodeSpec;
import java.io.File;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium through Selenium) against a real server: the page is
 * opened with the token in its fragment, a workflow is submitted through the API, and the page must show it and its
 * tasks finished, in the list, the task table and the drawn DAG, with the Gantt filled in; then, with long tasks
 * running and one waiting, the nodes panel and the charts must show the server's figures (running tasks, free cores,
 * a GPU's resident model, the ready queue, utilisation). A screenshot is saved to
 * {@code target/dashboard-screenshots/}. Skipped, saying why, where chromium or its driver is not installed
 * ({@code .ci/run} installs them).
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final String TOKEN = "browser-token-0123456789abcdef";
    /** How long the page may take to show what the server did: generous, as the machine may be busy. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RunningServer server;
    private ChromeDriverService service;
    private WebDriver driver;
    private boolean screenshotTaken;
    private String failureShot;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        failureShot = "dashboard-at-failure-" + test.getTestMethod().map(Method::getName).orElse("test") + ".png";
        Files.deleteIfExists(SCREENSHOTS.resolve(failureShot)); // a former run's
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the dashboard's browser test "
                + "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "); install them "
                + "with apt-get install chromium chromium-driver (.ci/run does) — skipped here");
        server = RunningServer.start(dir, TOKEN, List.of(NodeSpec.of("local", 4, 16, 0, 0),
                NodeSpec.of("gpu-1", 4, 32, 1, 80)));
        // Explicit paths, or Selenium Manager goes to the network for a browser and a driver.
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1600,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (driver != null && !screenshotTaken) { // the state the page was in when the test failed
                screenshot(failureShot);
            }
        } finally {
            try {
                if (driver != null) {
                    driver.quit();
                }
            } finally {
                if (service != null) {
                    service.stop();
                }
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked") // what the page's script returns
    void aSubmittedWorkflowIsShownLiveUntilItsTasksFinish() throws Exception {
        driver.get(server.url() + "/#token=" + TOKEN);
        // The page redraws its tables as events arrive: an element found a moment ago may have been replaced.
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage("the page's event stream to be open (#connection live)").until(d -> "live".equals(
                d.findElement(By.id("connection")).getAttribute("data-state")));
        assertThat(driver.getCurrentUrl()).as("the token is taken out of the address bar").doesNotContain(TOKEN);
        assertThat(driver.findElement(By.id("token-form")).isDisplayed()).isFalse();

        HttpResponse<String> accepted = server.send("POST", "/api/v1/workflows", "application/yaml", """
                name: dashboard demo
                id: dash-1
                tasks:
                  - {id: fetch, kind: sim, inputs: {seconds: 0.4}}
                  - {id: embed, kind: sim, dependsOn: [fetch], resources: {model: embedder}, inputs: {seconds: 0.6}}
                  - {id: parse, kind: sim, dependsOn: [fetch], inputs: {seconds: 0.3}}
                  - {id: answer, kind: sim, dependsOn: [embed, parse], inputs: {seconds: 0.3}}
                """, true);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        wait.withMessage("workflow dash-1 in the list, clicked").until(d -> {
            d.findElement(By.cssSelector("#workflows tr[data-workflow-id='dash-1']")).click();
            return true;
        });
        wait.withMessage("workflow dash-1 selected").until(d -> d.findElement(By.id("workflow-title")).getText()
                .startsWith("dash-1"));
        wait.withMessage("the workflow shown FINISHED in the list, with its four tasks FINISHED in the task table")
                .until(d -> "FINISHED".equals(d.findElement(By.cssSelector("#workflows tr[data-workflow-id='dash-1']"))
                        .getAttribute("data-status"))
                        && d.findElements(By.cssSelector("#tasks tr[data-state='FINISHED']")).size() == 4);
        JavascriptExecutor page = (JavascriptExecutor) driver;
        wait.withMessage("the DAG's four nodes drawn FINISHED").until(d -> Map.of("fetch", "FINISHED", "embed",
                "FINISHED", "parse", "FINISHED", "answer", "FINISHED").equals(page.executeScript(
                        "return window.mazeDashboard.dagStates()")));
        assertThat((List<Object>) page.executeScript("return window.mazeDashboard.dagEdges()"))
                .as("the DAG's edges are the tasks' dependencies").containsExactlyInAnyOrder(List.of("fetch", "embed"),
                        List.of("fetch", "parse"), List.of("embed", "answer"), List.of("parse", "answer"));
        List<Map<String, Object>> bars = (List<Map<String, Object>>) page.executeScript(
                "return window.mazeDashboard.ganttBars()");
        assertThat(bars).extracting(bar -> bar.get("task")).as("a Gantt bar for each task")
                .containsExactlyInAnyOrder("fetch", "embed", "parse", "answer");
        assertThat(bars).filteredOn(bar -> bar.get("task").equals("embed")).extracting(bar -> bar.get("row"))
                .as("the GPU task's bar is on its GPU's row").containsExactly("gpu-1 gpu0");
        assertThat(driver.findElements(By.cssSelector("#gantt canvas"))).as("the Gantt is drawn").isNotEmpty();

        // The nodes panel is GET /nodes, redrawn at each read (so read in one script, not element by element): the
        // engine keeps a model resident on its GPU after the call (the default residency), so the finished GPU task
        // leaves its model listed there, with nothing running.
        String gpu0 = "#nodes tr[data-node-id='gpu-1'] .gpu[data-gpu-index='0']";
        String local = "#nodes tr[data-node-id='local']";
        wait.withMessage("gpu-1's GPU 0 idle with the model embedder resident").until(d -> shown(page, gpu0, "0")
                .contains("resident: embedder"));
        assertThat(shown(page, gpu0, "0")).contains("0 running", "80/80 GB free");
        assertThat(shown(page, local, "0")).as("local idle: its cores and memory free, nothing running")
                .contains("4/4", "16/16 GB", "0%");

        // A long GPU task (all of gpu-1's cores), then two long tasks that each need all of a node's cores: one runs
        // on local, the other can run nowhere and waits in the ready queue.
        submit("""
                name: hold the GPU
                id: dash-2
                tasks:
                  - {id: hold-gpu, kind: sim, resources: {model: embedder, cpu: 4}, inputs: {seconds: 300}}
                """);
        wait.withMessage("gpu-1's GPU 0 running the task, the GPUs-busy line at 100%").until(d -> shown(page, gpu0, "1")
                .contains("1 running, 0/80 GB free, resident: embedder") && Double.valueOf(100).equals(
                        number(utilisation(page).get("GPUs busy"))));
        submit("""
                name: fill local
                id: dash-3
                tasks:
                  - {id: hold-a, kind: sim, resources: {cpu: 4}, inputs: {seconds: 300}}
                  - {id: hold-b, kind: sim, resources: {cpu: 4}, inputs: {seconds: 300}}
                """);
        wait.withMessage("local running one task with no core free, and one task in the queue chart").until(d ->
                shown(page, local, "1").contains("0/4") && Double.valueOf(1).equals(number(charts(page, "queue")
                        .get("ready tasks"))));
        Map<String, Object> lines = utilisation(page);
        assertThat(lines).as("a utilisation line per node, and GPUs busy").containsKeys("local", "gpu-1", "GPUs busy");
        assertThat(number(lines.get("local"))).as("local's utilisation, the server's figure").isGreaterThan(0);
        assertThat(shown(page, "#nodes tr[data-node-id='gpu-1']", "1")).contains("0/4", "1 running",
                "resident: embedder");
        assertThat(driver.findElements(By.cssSelector("#queue-chart canvas, #utilisation-chart canvas"))).hasSize(2);

        screenshot("dashboard.png");
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    @Test
    void withoutATokenThePageAsksForItAndSaysWhenItIsRefused() throws Exception {
        driver.get(server.url() + "/");
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.withMessage("the token form").until(d -> d.findElement(By.id("token-form")).isDisplayed());
        driver.findElement(By.id("token-input")).sendKeys("not-the-token-0123456789");
        driver.findElement(By.cssSelector("#token-form button")).click();
        wait.withMessage("the refusal said, and the form shown again").until(d -> d.findElement(By.id("token-form"))
                .isDisplayed() && d.findElement(By.id("token-message")).getText().contains("refused"));

        driver.findElement(By.id("token-input")).sendKeys(TOKEN);
        driver.findElement(By.cssSelector("#token-form button")).click();
        wait.withMessage("the stream open with the token typed in").until(d -> "live".equals(
                d.findElement(By.id("connection")).getAttribute("data-state")));
        wait.withMessage("the nodes listed").until(d -> !d.findElements(By.cssSelector("#nodes tr[data-node-id='local']"))
                .isEmpty());
        screenshotTaken = true; // nothing to look at here when it passes
    }

    private void submit(String yaml) throws Exception {
        HttpResponse<String> accepted = server.send("POST", "/api/v1/workflows", "application/yaml", yaml, true);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    /**
     * The text of the element {@code css} names, where its {@code data-running} is {@code running}; else "" (not
     * drawn yet, or showing another count).
     */
    private static String shown(JavascriptExecutor page, String css, String running) {
        Object text = page.executeScript("const e = document.querySelector(arguments[0]);"
                + " return e && e.getAttribute('data-running') === arguments[1] ? e.innerText : '';", css, running);
        return String.valueOf(text);
    }

    /** A chart's lines ({@code queue} or {@code utilisation}), each its latest point. */
    @SuppressWarnings("unchecked") // what the page's script returns
    private static Map<String, Object> charts(JavascriptExecutor page, String chart) {
        return (Map<String, Object>) ((Map<String, Object>) page.executeScript(
                "return window.mazeDashboard.chartsLatest()")).get(chart);
    }

    private static Map<String, Object> utilisation(JavascriptExecutor page) {
        return charts(page, "utilisation");
    }

    /** A number the page returned (Selenium gives a Long or a Double), else null. */
    private static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        screenshotTaken = true;
    }
}
