package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FakeLlmCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port 0                                                | Missing required option: '--models=MODEL'",
            "--models a --max-concurrency 0                          | --max-concurrency: must be at least 1, not 0",
            "--models a --faults 503:0.1                             | --faults: unknown fault kind '503' (kinds: 500, 429, hang, malformed)",
            "--models a --faults 500:1.5                             | --faults: the probability of 500 must be in [0, 1], not 1.5",
            "--models a --faults 500:0.6,hang:0.6                    | --faults: the probabilities sum to 1.2, more than 1",
            "--models a --time-scale -1                              | --time-scale: must be a finite number >= 0, not -1.0",
            "--models a --decode-ms-per-token fast                   | '--decode-ms-per-token': 'fast' is not a double",
            "--models a --max-resident 2                             | --max-resident needs --on-demand",
            "--models a --load-seconds 5                             | --load-seconds needs --on-demand",
            "--models a --on-demand --max-resident 0                 | --max-resident: must be at least 1, not 0",
            "--models a --port 70000                                 | --port: must be 0 (a free port) to 65535, not 70000",
            "--models a,a                                            | --models: [a, a] names a model twice",
            "--models a --retry-after 0                              | --retry-after: must be at least 1, not 0"})
    void aBadOptionIsAUsageErrorNamingItsFlag(String args, String message) {
        InProcessMaze.Result result = InProcessMaze.maze(("fake-llm " + args.strip()).split(" +"));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(MazeCommand.EXIT_INVALID);
        assertThat(result.err()).contains(message).contains("Try 'maze fake-llm --help'");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void itServesUntilInterruptedAndPrintsWhereItListens() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = MazeCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        Pattern listening = Pattern.compile("fake-llm listening on (http://127\\.0\\.0\\.1:\\d+/v1)");
        try (ExecutorService thread = Executors.newSingleThreadExecutor()) {
            Future<Integer> exit = thread.submit(() -> commandLine.execute("fake-llm", "--port", "0", "--models",
                    "qwen3-32b,whisper-large-v3", "--time-scale", "0", "--on-demand", "--max-resident", "2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Matcher matcher = listening.matcher("");
            while (!matcher.reset(out.toString()).find()) {
                assertThat(System.nanoTime()).as("started; stderr: " + err).isLessThan(deadline);
                assertThat(exit.isDone()).as("still running; stderr: " + err).isFalse();
                Thread.sleep(10);
            }
            URI base = URI.create(matcher.group(1) + "/");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> models = client.send(HttpRequest.newBuilder(base.resolve("models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("\"id\":\"qwen3-32b\"").contains("\"id\":\"whisper-large-v3\"");
            assertThat(err.toString()).contains("serving qwen3-32b, whisper-large-v3 on demand");
            thread.shutdownNow(); // interrupts the command, as Ctrl-C would stop the process
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            client.close();
        }
    }
}
