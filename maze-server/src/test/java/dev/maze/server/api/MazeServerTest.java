package dev.maze.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.NodeSpec;
import dev.maze.server.store.ServerJournal;
import dev.maze.server.store.SqliteJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over real HTTP on loopback, against an engine with a SQLite journal ({@link MazeServerOnPostgresTest} runs
 * the same on PostgreSQL).
 */
class MazeServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "test-token-0123456789abcdef";

    @TempDir
    Path dir;

    private Engine engine;
    private EventHub events;
    private MazeServer server;

    private void start() throws Exception {
        start(MazeServer.MAX_WORKFLOWS, MazeServer.MAX_TASKS);
    }

    /** Opens the test's store: the same one on every call within a test (a restart opens it again). */
    ServerJournal openJournal() throws Exception {
        return SqliteJournal.open(dir.resolve("journal.db"));
    }

    private void start(int maxWorkflows, int maxTasks) throws Exception {
        ServerJournal journal = openJournal();
        events = new EventHub();
        List<dev.maze.core.engine.StateEvent> state = journal.read();
        engine = Engine.builder().clock(WallClock.sinceEpoch()).nodes(List.of(NodeSpec.of("local", 4, 16, 0, 0)))
                .journal(journal).restore(state).listener(events).build().start();
        server = MazeServer.start(engine, journal, events, new MazeServer.Config("127.0.0.1", 0, ApiToken.given(TOKEN),
                1 << 20, MazeServer.Preparation.NONE, maxWorkflows, maxTasks));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String token)
            throws Exception {
        return RunningServer.send(server.url(), token, method, path, contentType, body);
    }

    private JsonNode waitForEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode workflow = JSON.readTree(send("GET", "/api/v1/workflows/" + id, null, null, TOKEN).body());
            String state = workflow.path("state").asText();
            if (!state.equals("RUNNING") || System.nanoTime() > deadline) {
                return workflow;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSubmittedWorkflowIsAcceptedRunsAndCanBeReadBack() throws Exception {
        start();
        HttpResponse<String> accepted = send("POST", "/api/v1/workflows", "application/yaml", """
                name: hello
                id: hello-1
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 0.05, output: {text: hi}}}
                  - {id: b, kind: sim, dependsOn: [a], inputs: {seconds: 0.05}}
                """, TOKEN);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("workflows").get(0).path("id").asText()).isEqualTo("hello-1");
        JsonNode workflow = waitForEnd("hello-1");
        assertThat(workflow.path("state").asText()).isEqualTo("FINISHED");
        assertThat(workflow.path("tasks").get(0).path("output").path("text").asText()).isEqualTo("hi");
    }

    @Test
    void aWorkflowThatEndedBeforeARestartIsStillReadFromTheStore() throws Exception {
        start();
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"before\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0}}]}",
                TOKEN);
        assertThat(waitForEnd("before").path("state").asText()).isEqualTo("FINISHED");
        stop();
        start();

        HttpResponse<String> after = send("GET", "/api/v1/workflows/before", null, null, TOKEN);
        assertThat(after.statusCode()).isEqualTo(200);
        // Nothing was left to restore, yet the journal's numbers go on: a new submission is stored after them.
        HttpResponse<String> next = send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"after\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0}}]}",
                TOKEN);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(202);
        assertThat(waitForEnd("after").path("state").asText()).isEqualTo("FINISHED");
        HttpResponse<String> again = send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"before\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0}}]}",
                TOKEN);
        assertThat(again.statusCode()).as("an id keeps its history").isEqualTo(409);
        assertThat(again.body()).contains("already ran here");
        JsonNode workflow = JSON.readTree(after.body());
        assertThat(workflow.path("state").asText()).isEqualTo("FINISHED");
        assertThat(workflow.path("tasks").get(0).path("state").asText()).isEqualTo("FINISHED");
        assertThat(workflow.path("tasks").get(0).path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void anInvalidSubmissionIsAProblemDocumentListingEveryErrorAndNothingIsAccepted() throws Exception {
        start();
        HttpResponse<String> refused = send("POST", "/api/v1/workflows", "application/yaml", """
                - {name: ok, id: fine, tasks: [{id: a, kind: sim, inputs: {seconds: 0}}]}
                - {name: bad, id: broken, tasks: [{id: a, kind: sim, inputs: {}}, {id: b, kind: nope, dependsOn: [zz]}]}
                """, TOKEN);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("errors").size()).isGreaterThanOrEqualTo(3);
        assertThat(problem.path("errors").findValuesAsText("task")).contains("a", "b");
        assertThat(send("GET", "/api/v1/workflows/fine", null, null, TOKEN).statusCode())
                .as("the valid workflow of the batch was not accepted either").isEqualTo(404);
    }

    @Test
    void everyApiRouteAsksForTheTokenAndHealthDoesNot() throws Exception {
        start();
        for (String token : new String[] {null, "wrong-token-0123456789", TOKEN + "x"}) {
            for (String[] route : new String[][] {{"GET", "/api/v1/workflows"}, {"GET", "/api/v1/workflows/x"},
                    {"POST", "/api/v1/workflows"}, {"DELETE", "/api/v1/workflows/x"}}) {
                HttpResponse<String> response = send(route[0], route[1], "application/json", "{}", token);
                assertThat(response.statusCode()).as(route[0] + " " + route[1] + " with " + token).isEqualTo(401);
                assertThat(response.body()).doesNotContain(TOKEN);
            }
        }
        assertThat(send("GET", "/healthz", null, null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/readyz", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsAreClearClientErrors() throws Exception {
        start();
        assertThat(send("POST", "/api/v1/workflows", "text/plain", "name: x", TOKEN).statusCode()).isEqualTo(415);
        assertThat(send("POST", "/api/v1/workflows", "application/json", "{not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/workflows", "application/json", "x".repeat(2 << 20), TOKEN).statusCode())
                .isEqualTo(413);
        assertThat(send("GET", "/api/v1/workflows/..%2F..%2Fetc", null, null, TOKEN).statusCode()).isIn(400, 404);
        assertThat(send("GET", "/api/v1/workflows/nobody", null, null, TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/workflows/nobody", null, null, TOKEN).statusCode()).isEqualTo(404);

        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        HttpResponse<String> nested = send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"n\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0, \"x\": "
                        + deep + "}}]}", TOKEN);
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(nested.headers().firstValue("Content-Type").orElse("")).startsWith(Problem.MEDIA_TYPE);
        HttpResponse<String> unknown = send("POST", "/api/v1/workflows", "application/yaml",
                "{name: u, colour: red, tasks: [{id: a, kind: sim, inputs: {seconds: 0}, retires: 2}]}", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("colour", "retires");
        HttpResponse<String> aliases = send("POST", "/api/v1/workflows", "application/yaml",
                "a: &a [x, x]\nb: &b [*a, *a]\nname: bomb\ntasks: [{id: t, kind: sim, inputs: {seconds: 0, y: *b}}]", TOKEN);
        assertThat(aliases.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(send("GET", "/api/v1/workflows", null, null, TOKEN).body()).path("workflows"))
                .as("nothing of the refused requests is stored").isEmpty();
    }

    @Test
    void aRunningWorkflowCanBeCancelled() throws Exception {
        start();
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"long\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 60}}]}",
                TOKEN);
        HttpResponse<String> cancelled = send("DELETE", "/api/v1/workflows/long", null, null, TOKEN);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(waitForEnd("long").path("state").asText()).isEqualTo("CANCELLED");
        assertThat(send("DELETE", "/api/v1/workflows/long", null, null, TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    void workflowsAreListedNewestFirstByStatusNameAndTimeInPagesAlsoAfterARestart() throws Exception {
        start();
        String quick = "{\"name\": \"%s\", \"id\": \"%s\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", "
                + "\"inputs\": {\"seconds\": %s}}]}";
        for (int i = 1; i <= 5; i++) {
            send("POST", "/api/v1/workflows", "application/json", quick.formatted("batch", "q" + i, "0"), TOKEN);
            waitForEnd("q" + i);
        }
        send("POST", "/api/v1/workflows", "application/json", quick.formatted("slow", "s1", "60"), TOKEN);
        server.close();
        engine.shutdown(); // as maze server stops: s1 keeps running after the restart
        start();

        List<String> pages = new ArrayList<>();
        String cursor = null;
        int requests = 0;
        do {
            JsonNode page = JSON.readTree(send("GET", "/api/v1/workflows?name=batch&status=finished&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, null, TOKEN).body());
            page.path("workflows").forEach(w -> pages.add(w.path("id").asText()));
            cursor = page.path("nextCursor").asText(null);
            requests++;
        } while (cursor != null && requests < 10);
        assertThat(pages).containsExactly("q5", "q4", "q3", "q2", "q1");

        JsonNode running = JSON.readTree(send("GET", "/api/v1/workflows?status=RUNNING", null, null, TOKEN).body());
        assertThat(running.path("workflows")).hasSize(1);
        assertThat(running.path("workflows").get(0).path("id").asText()).isEqualTo("s1");
        assertThat(running.has("nextCursor")).isFalse();
        JsonNode all = JSON.readTree(send("GET", "/api/v1/workflows", null, null, TOKEN).body());
        assertThat(all.path("workflows").get(5).path("endedAt").isNumber()).isTrue();
        assertThat(JSON.readTree(send("GET", "/api/v1/workflows?submittedBefore=2000-01-01T00:00:00Z", null, null,
                TOKEN).body()).path("workflows")).isEmpty();
        assertThat(JSON.readTree(send("GET", "/api/v1/workflows?submittedAfter=" + (System.currentTimeMillis() / 1000 - 600),
                null, null, TOKEN).body()).path("workflows")).hasSize(6);
        for (String bad : List.of("status=DONE", "limit=0", "limit=x", "cursor=-3", "submittedAfter=yesterday")) {
            HttpResponse<String> refused = send("GET", "/api/v1/workflows?" + bad, null, null, TOKEN);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void theNodesShowWhatIsInUseAndMetricsAreServedAsPrometheusTextBehindTheToken() throws Exception {
        start();
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"quick\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0.01}}]}",
                TOKEN);
        waitForEnd("quick");
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"long\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 60}}]}",
                TOKEN);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode local;
        do {
            local = JSON.readTree(send("GET", "/api/v1/nodes", null, null, TOKEN).body()).path("nodes").get(0);
        } while (local.path("runningTasks").asInt() == 0 && System.nanoTime() < deadline);
        assertThat(local.path("runningTasks").asInt()).isEqualTo(1);
        assertThat(local.path("freeCpu").asDouble()).isLessThan(4.0);
        assertThat(local.path("utilisation").asDouble()).isGreaterThan(0);

        assertThat(send("GET", "/metrics", null, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = send("GET", "/metrics", null, null, TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("maze_tasks_dispatched_total 2.0", "maze_tasks_finished_total 1.0",
                "maze_workflows_active 1.0", "maze_tasks_ready 0.0", "maze_node_tasks_running{node=\"local\"} 1.0",
                "maze_workflow_latency_seconds_count{state=\"FINISHED\"} 1", "maze_task_wait_seconds_bucket",
                "maze_task_run_seconds_count 1", "maze_predictor_error_ratio_count 1", "jvm_memory_used_bytes");
    }

    @Test
    void theOpenApiDescriptionNamesExactlyTheRoutesAndTheAnswersMatchItsSchemas() throws Exception {
        start();
        JsonNode spec = JSON.readTree(send("GET", "/api/v1/openapi.json", null, null, TOKEN).body());
        assertThat(spec.path("openapi").asText()).startsWith("3.1");
        List<String> described = new ArrayList<>();
        spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!operation.getKey().equals("parameters")) {
                described.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(described).containsExactlyInAnyOrderElementsOf(server.routes());

        HttpResponse<String> accepted = send("POST", "/api/v1/workflows", "application/yaml", """
                name: described
                id: d1
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 0, output: {x: 1}}}
                  - {id: b, kind: sim, dependsOn: [a], inputs: {seconds: 0}}
                """, TOKEN);
        waitForEnd("d1");
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"slow\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 60}}]}", TOKEN);
        assertMatches(spec, "Accepted", accepted);
        assertMatches(spec, "Workflow", send("GET", "/api/v1/workflows/d1", null, null, TOKEN));
        assertMatches(spec, "Workflow", send("GET", "/api/v1/workflows/slow", null, null, TOKEN));
        assertMatches(spec, "TaskDetail", send("GET", "/api/v1/workflows/d1/tasks/b", null, null, TOKEN));
        assertMatches(spec, "WorkflowList", send("GET", "/api/v1/workflows?limit=1", null, null, TOKEN));
        assertMatches(spec, "NodeList", send("GET", "/api/v1/nodes", null, null, TOKEN));
        assertMatches(spec, "StatusAnswer", send("DELETE", "/api/v1/workflows/slow", null, null, TOKEN));
        assertMatches(spec, "Problem", send("POST", "/api/v1/workflows", "application/json",
                "{\"tasks\": [{\"id\": \"a\", \"kind\": \"nope\"}]}", TOKEN));
        assertMatches(spec, "Problem", send("GET", "/api/v1/workflows/none", null, null, TOKEN));
    }

    /** The answer's body is valid against the description's component schema {@code name}. */
    private static void assertMatches(JsonNode spec, String name, HttpResponse<String> answer) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode schema = JSON.createObjectNode()
                .put("$ref", "#/components/schemas/" + name);
        schema.set("components", spec.path("components"));
        List<String> problems = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                .validate(JSON.readTree(answer.body())).stream().map(Object::toString).toList();
        assertThat(problems).as(name + " for " + answer.uri() + ": " + answer.body()).isEmpty();
    }

    private HttpResponse<String> submitWithKey(String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/workflows"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRetriedSubmissionWithItsIdempotencyKeyGetsTheFirstAnswerAlsoAfterARestart() throws Exception {
        start();
        String body = "{\"name\": \"once\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 0}}]}";
        HttpResponse<String> first = submitWithKey("order-17", body);
        HttpResponse<String> retry = submitWithKey("order-17", body);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String id = JSON.readTree(first.body()).path("workflows").get(0).path("id").asText();
        waitForEnd(id);
        stop();
        start();
        assertThat(submitWithKey("order-17", body).body()).as("after a restart").isEqualTo(first.body());
        assertThat(submitWithKey("order-17", body.replace("once", "other")).statusCode()).isEqualTo(422);
        HttpResponse<String> fresh = submitWithKey("order-18", body);
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(202);
        assertThat(fresh.body()).as("a new key submits again").isNotEqualTo(first.body());
        assertThat(submitWithKey(" ", body).statusCode()).isEqualTo(400);
    }

    @Test
    void anAgentAddsTasksToAnOpenWorkflowAndClosesIt() throws Exception {
        start();
        assertThat(send("POST", "/api/v1/workflows", "application/yaml",
                "{name: agent, id: ag1, open: true, tasks: [{id: plan, kind: sim, inputs: {seconds: 0, output: {q: x}}}]}",
                TOKEN).statusCode()).isEqualTo(202);
        HttpResponse<String> added = send("POST", "/api/v1/workflows/ag1/tasks", "application/yaml",
                "- {id: act, kind: sim, dependsOn: [plan], inputs: {seconds: 0, output: {did: '{{tasks.plan.output.q}}'}}}",
                TOKEN);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        assertThat(JSON.readTree(added.body()).path("added").get(0).asText()).isEqualTo("act");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode state = JSON.readTree(send("GET", "/api/v1/workflows/ag1", null, null, TOKEN).body());
        while (!state.path("tasks").get(1).path("state").asText().equals("FINISHED") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            state = JSON.readTree(send("GET", "/api/v1/workflows/ag1", null, null, TOKEN).body());
        }
        assertThat(state.path("state").asText()).as("open: still running").isEqualTo("RUNNING");
        assertThat(state.path("tasks").get(1).path("output").path("did").asText()).isEqualTo("x");

        HttpResponse<String> cycle = send("POST", "/api/v1/workflows/ag1/tasks", "application/json",
                "{\"tasks\": [{\"id\": \"p\", \"kind\": \"sim\", \"dependsOn\": [\"q\"], \"inputs\": {\"seconds\": 0}},"
                        + " {\"id\": \"q\", \"kind\": \"sim\", \"dependsOn\": [\"p\"], \"inputs\": {\"seconds\": 0}}]}", TOKEN);
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(cycle.body()).contains("cycle");

        assertThat(send("POST", "/api/v1/workflows/ag1/close", null, null, TOKEN).statusCode()).isEqualTo(202);
        assertThat(waitForEnd("ag1").path("state").asText()).isEqualTo("FINISHED");
        HttpResponse<String> late = send("POST", "/api/v1/workflows/ag1/tasks", "application/yaml",
                "[{id: z, kind: sim, inputs: {seconds: 0}}]", TOKEN);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/v1/workflows/ag1/close", null, null, TOKEN).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/v1/workflows/nobody/tasks", "application/yaml", "[{id: z, kind: sim, inputs: {seconds: 0}}]",
                TOKEN).statusCode()).isEqualTo(404);
        // After a restart the added task is part of the workflow's history.
        stop();
        start();
        JsonNode history = JSON.readTree(send("GET", "/api/v1/workflows/ag1", null, null, TOKEN).body());
        assertThat(history.path("tasks").findValuesAsText("id")).containsExactly("plan", "act");
    }

    @Test
    void beyondItsLimitsTheServerSaysWaitOrSplitAndStoresNothing() throws Exception {
        start(2, 3);
        String slow = "{name: slow, id: %s, tasks: [{id: a, kind: sim, inputs: {seconds: 60}}]}";
        assertThat(send("POST", "/api/v1/workflows", "application/yaml", slow.formatted("s1"), TOKEN).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/v1/workflows", "application/yaml", slow.formatted("s2"), TOKEN).statusCode()).isEqualTo(202);
        HttpResponse<String> full = send("POST", "/api/v1/workflows", "application/yaml", slow.formatted("s3"), TOKEN);
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(send("GET", "/api/v1/workflows/s3", null, null, TOKEN).statusCode()).isEqualTo(404);
        send("DELETE", "/api/v1/workflows/s1", null, null, TOKEN);
        waitForEnd("s1");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (status != 202 && System.nanoTime() < deadline) { // the end is counted once it is stored
            status = send("POST", "/api/v1/workflows", "application/yaml", slow.formatted("s3"), TOKEN).statusCode();
            Thread.sleep(status == 202 ? 0 : 20);
        }
        assertThat(status).as("room again once one ended").isEqualTo(202);

        HttpResponse<String> big = send("POST", "/api/v1/workflows", "application/yaml", """
                {name: big, tasks: [{id: a, kind: sim, inputs: {seconds: 0}}, {id: b, kind: sim, inputs: {seconds: 0}},
                                    {id: c, kind: sim, inputs: {seconds: 0}}, {id: d, kind: sim, inputs: {seconds: 0}}]}
                """, TOKEN);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("at most 3 tasks");
        HttpResponse<String> grown = send("POST", "/api/v1/workflows/s2/tasks", "application/yaml",
                "[{id: b, kind: sim, inputs: {seconds: 0}}, {id: c, kind: sim, inputs: {seconds: 0}}, "
                        + "{id: d, kind: sim, inputs: {seconds: 0}}]", TOKEN);
        assertThat(grown.statusCode()).isEqualTo(413);
    }

    @Test
    void aTasksDetailShowsItsAttemptsAndRenderedInputsAndTheNodesAreListed() throws Exception {
        start();
        send("POST", "/api/v1/workflows", "application/yaml", """
                {name: d, id: d1, tasks: [
                  {id: a, kind: sim, inputs: {seconds: 0, output: {word: hello}}},
                  {id: b, kind: sim, dependsOn: [a], retries: {count: 1, backoffSeconds: 0.01},
                   inputs: {seconds: 0, failAttempts: 1, note: '{{tasks.a.output.word}} world'}}]}
                """, TOKEN);
        waitForEnd("d1");
        HttpResponse<String> detail = send("GET", "/api/v1/workflows/d1/tasks/b", null, null, TOKEN);
        assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
        JsonNode task = JSON.readTree(detail.body());
        assertThat(task.path("state").asText()).isEqualTo("FINISHED");
        assertThat(task.path("inputs").path("note").asText()).isEqualTo("hello world");
        assertThat(task.path("attempts").findValuesAsText("outcome")).containsExactly("FAILED", "FINISHED");
        assertThat(task.path("attempts").get(0).path("message").asText()).contains("attempt 1");
        assertThat(task.path("attempts").get(1).path("node").asText()).isEqualTo("local");
        assertThat(send("GET", "/api/v1/workflows/d1/tasks/zz", null, null, TOKEN).statusCode()).isEqualTo(404);

        JsonNode nodes = JSON.readTree(send("GET", "/api/v1/nodes", null, null, TOKEN).body());
        assertThat(nodes.path("nodes").get(0).path("id").asText()).isEqualTo("local");
        assertThat(nodes.path("nodes").get(0).path("cpu").asDouble()).isEqualTo(4.0);
    }

    /** One server-sent event. */
    record Sse(long id, String event, JsonNode data) {}

    /** Reads a stream's events until it ends or {@code until} matches one. */
    private List<Sse> events(String path, String lastEventId, java.util.function.Predicate<Sse> until) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request.build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse> events = new java.util.ArrayList<>();
        long id = -1;
        String event = null;
        try (var lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4).strip());
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7).strip();
                } else if (line.startsWith("data: ")) {
                    Sse sse = new Sse(id, event, JSON.readTree(line.substring(6)));
                    events.add(sse);
                    if (until.test(sse)) {
                        break;
                    }
                }
            }
        }
        return events;
    }

    @Test
    void aWorkflowsEventsStreamFromItsStartToItsEndAndResumeAfterALastEventId() throws Exception {
        start();
        send("POST", "/api/v1/workflows", "application/yaml",
                "{name: s, id: streamed, tasks: [{id: a, kind: sim, inputs: {seconds: 0.05}}, "
                        + "{id: b, kind: sim, dependsOn: [a], inputs: {seconds: 0.05}}]}", TOKEN);

        List<Sse> all = events("/api/v1/workflows/streamed/events", null, e -> false); // ends by itself
        assertThat(all).extracting(Sse::event).startsWith("WorkflowAccepted").endsWith("WorkflowEnded")
                .contains("TaskStarted", "TaskFinished");
        assertThat(all).extracting(Sse::id).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(all.size() - 1).data().path("state").asText()).isEqualTo("FINISHED");
        assertThat(all.get(0).data().path("kind").asText()).isEqualTo("WorkflowAccepted");

        long third = all.get(2).id();
        List<Sse> resumed = events("/api/v1/workflows/streamed/events", String.valueOf(third), e -> false);
        assertThat(resumed).isEqualTo(all.subList(3, all.size()));
    }

    @Test
    void theWholeStreamCarriesNewEventsAsTheyAreStored() throws Exception {
        start();
        java.util.concurrent.CompletableFuture<List<Sse>> live = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return events("/api/v1/events", null, e -> e.event().equals("WorkflowEnded")
                        && e.data().path("workflowId").asText().equals("later"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the stream is open before the workflow is submitted
        send("POST", "/api/v1/workflows", "application/json",
                "{\"name\": \"w\", \"id\": \"later\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", "
                        + "\"inputs\": {\"seconds\": 0}}]}", TOKEN);
        List<Sse> events = live.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(events).extracting(Sse::event).contains("WorkflowAccepted", "TaskFinished", "WorkflowEnded");
    }

    @Test
    void aStreamOfNoWorkflowOrFromABadIdIsRefusedBeforeItStarts() throws Exception {
        start();
        assertThat(send("GET", "/api/v1/events", null, null, TOKEN).statusCode()).as("no Accept").isEqualTo(406);
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/v1/workflows/nobody/events")).header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/events"))
                .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "yesterday").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/events", null, null, null).statusCode()).isEqualTo(401);
    }
}
