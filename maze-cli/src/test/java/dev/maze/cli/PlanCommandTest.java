package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.offline.Strategies;
import dev.maze.offline.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code maze plan} end to end: the example backlog, an STG graph, a WfCommons instance; --json, --verify, --gantt. */
class PlanCommandTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final String BACKLOG = ROOT.resolve("examples/plan/backlog.yaml").toString();
    static final String STG = ROOT.resolve("benchmarks/stg/50/rand0000.stg").normalize().toString();
    static final String MONTAGE = ROOT.resolve("../shared/data/wfcommons/montage-chameleon-dss-05d-001.json")
            .normalize().toString();

    /** The WfCommons instance is LGPL-3.0 data in the project's shared folder beside the checkout: skip without it. */
    static void assumeMontage() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of(MONTAGE)), "no WfCommons sample at "
                + MONTAGE + " (the project's shared data beside the checkout): skipped");
    }
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theExampleBacklogPrintsARowPerStrategy() {
        InProcessMaze.Result result = maze("plan", BACKLOG, "--time-limit", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("21 tasks, 4 models, 4 GPUs").contains("makespan s").contains("switches")
                .contains("switch s").contains("spread").contains("lower bound").contains("gap %")
                .contains("planning ms");
        for (Strategy strategy : Strategies.all()) {
            assertThat(result.out()).containsPattern("(?m)^" + strategy.name() + " +\\d");
        }
    }

    /** Every plan of every strategy, read back through --verify: the tests' check on each plan produced. */
    private JsonNode planAndVerify(String... args) throws IOException {
        String[] full = new String[args.length + 4];
        full[0] = "plan";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--json";
        full[args.length + 2] = "--time-limit";
        full[args.length + 3] = "1";
        InProcessMaze.Result result = maze(full);
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode plans = JSON.readTree(result.out());
        Path written = Files.writeString(dir.resolve("plans.json"), result.out());
        String[] verify = new String[args.length + 3];
        verify[0] = "plan";
        System.arraycopy(args, 0, verify, 1, args.length);
        verify[args.length + 1] = "--verify";
        verify[args.length + 2] = written.toString();
        InProcessMaze.Result checked = maze(verify);
        assertThat(checked.exitCode()).as(checked.out() + checked.err()).isZero();
        assertThat(checked.out().lines().filter(l -> l.contains(": valid"))).hasSize(plans.size());
        return plans;
    }

    @Test
    void jsonHasOneObjectPerStrategyWithTheFiguresTasksAndTimelines() throws IOException {
        JsonNode plans = planAndVerify(BACKLOG);
        assertThat(plans.isArray()).isTrue();
        assertThat(plans.size()).isEqualTo(Strategies.all().size());
        for (JsonNode plan : plans) {
            for (String field : List.of("strategy", "makespan", "switches", "switchSeconds", "lowerBound", "gap",
                    "utilization", "utilizationSpread", "planningMs", "tasks", "gpuTimelines")) {
                assertThat(plan.has(field)).as(field).isTrue();
            }
            assertThat(plan.get("utilization").size()).isEqualTo(4);
            assertThat(plan.get("tasks").size()).isEqualTo(21);
            assertThat(plan.get("gpuTimelines").size()).isEqualTo(4);
            assertThat(plan.get("makespan").asDouble()).isGreaterThanOrEqualTo(plan.get("lowerBound").asDouble());
            for (JsonNode task : plan.get("tasks")) {
                assertThat(task.has("id") && task.has("gpus") && task.has("start") && task.has("end")).isTrue();
                if (task.get("id").asText().endsWith("/review")) {
                    assertThat(task.get("gpus").size()).as("llama-70b needs 2 GPUs").isEqualTo(2);
                    assertThat(task.get("gpus").get(1).asInt()).isEqualTo(task.get("gpus").get(0).asInt() + 1);
                }
            }
            int switches = 0;
            for (JsonNode timeline : plan.get("gpuTimelines")) {
                switches += timeline.get("switches").size();
            }
            assertThat(switches).isEqualTo(plan.get("switches").asInt());
        }
    }

    @Test
    void anStgGraphAndAWfCommonsInstancePlanOnTheGpusGiven() throws IOException {
        JsonNode stg = planAndVerify(STG, "--gpus", "4");
        assertThat(stg.get(0).get("tasks").size()).isEqualTo(50);
        assertThat(stg.get(0).get("switchSeconds").asDouble()).isZero();
        assumeMontage();
        JsonNode montage = planAndVerify(MONTAGE, "--gpus", "4", "--strategy", "dynamic");
        assertThat(montage.size()).isEqualTo(1);
        assertThat(montage.get(0).get("tasks").size()).isEqualTo(58);
        assertThat(montage.get(0).get("strategy").asText()).isEqualTo("dynamic");
        InProcessMaze.Result table = maze("plan", MONTAGE, "--gpus", "3", "--format", "wfcommons", "--time-limit", "1");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("58 tasks, 8 models, 3 GPUs");
    }

    @Test
    void verifyRejectsATaskMovedBeforeItsPredecessorAndAMisreportedSwitch() throws IOException {
        InProcessMaze.Result result = maze("plan", BACKLOG, "--strategy", "dynamic", "--json");
        assertThat(result.exitCode()).isZero();
        ArrayNode plans = (ArrayNode) JSON.readTree(result.out());
        ObjectNode plan = (ObjectNode) plans.get(0);
        Map<String, ObjectNode> byId = new HashMap<>();
        plan.get("tasks").forEach(t -> byId.put(t.get("id").asText(), (ObjectNode) t));
        ObjectNode review = byId.get("research-1/review");
        review.put("start", 0.0);
        review.put("end", 30.0);
        Path file = dir.resolve("t.json");
        JSON.writeValue(file.toFile(), plan);
        InProcessMaze.Result checked = maze("plan", BACKLOG, "--verify", file.toString());
        assertThat(checked.exitCode()).isEqualTo(1);
        assertThat(checked.out()).contains("dynamic:").contains("violation")
                .contains("task research-1/review starts at 0.0 before its predecessor research-1/summarise");

        ObjectNode fresh = (ObjectNode) JSON.readTree(result.out()).get(0);
        fresh.put("switches", fresh.get("switches").asInt() - 1);
        JSON.writeValue(file.toFile(), fresh);
        InProcessMaze.Result misreported = maze("plan", BACKLOG, "--verify", file.toString());
        assertThat(misreported.exitCode()).isEqualTo(1);
        assertThat(misreported.out()).contains("switches; its timelines have");

        ObjectNode split = (ObjectNode) JSON.readTree(result.out()).get(0);
        for (JsonNode t : split.get("tasks")) {
            if (t.get("id").asText().equals("code-review/deep-review")) {
                ((ArrayNode) t.get("gpus")).removeAll().add(0).add(2);
            }
        }
        JSON.writeValue(file.toFile(), split);
        InProcessMaze.Result apart = maze("plan", BACKLOG, "--verify", file.toString());
        assertThat(apart.exitCode()).isEqualTo(1);
        assertThat(apart.out()).contains("task code-review/deep-review runs on GPUs [0,2]")
                .contains("needs 2 consecutive GPU(s)");
    }

    @Test
    void ganttWritesAnSvgWithOneTaskRectPerTaskAPngAndAnHtmlPage() throws Exception {
        Path svg = dir.resolve("out/plan.svg");
        InProcessMaze.Result result = maze("plan", BACKLOG, "--strategy", "batch", "--gantt", svg.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList rects = doc.getElementsByTagName("rect");
        int tasks = 0;
        int switches = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            String kind = ((Element) rects.item(i)).getAttribute("class");
            tasks += kind.equals("task") ? 1 : 0;
            switches += kind.equals("switch") ? 1 : 0;
        }
        assertThat(tasks).isEqualTo(21);
        assertThat(switches).isPositive();
        Path html = dir.resolve("plan.html");
        assertThat(maze("plan", BACKLOG, "--gantt", html.toString()).exitCode()).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("<svg");
        Path png = dir.resolve("p.png");
        assertThat(maze("plan", BACKLOG, "--strategy", "heft", "--gantt", png.toString()).exitCode()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(1000);
        assertThat(image.getHeight()).isGreaterThan(4 * 26);
        InProcessMaze.Result jpeg = maze("plan", BACKLOG, "--gantt", dir.resolve("p.jpg").toString());
        assertThat(jpeg.exitCode()).isEqualTo(2);
        assertThat(jpeg.err()).contains("write .svg, .png or .html");
    }

    @Test
    void executeRunsEachPlanOnTheEngineAndNeedsSimulate() throws Exception {
        InProcessMaze.Result result = maze("plan", BACKLOG, "--strategy", "heft,dynamic", "--execute", "--simulate",
                "--time-factor", "1.5", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode plans = new ObjectMapper().readTree(result.out());
        for (JsonNode plan : plans) {
            assertThat(plan.path("executed").path("timeFactor").asDouble()).isEqualTo(1.5);
            assertThat(plan.path("executed").path("makespan").asDouble()).as("tasks ran 1.5 x longer")
                    .isGreaterThan(plan.path("makespan").asDouble());
        }
        InProcessMaze.Result table = maze("plan", BACKLOG, "--strategy", "heft", "--execute", "--simulate");
        assertThat(table.out()).contains("executed on the engine").containsPattern("heft\\s+planned [0-9.]+ s, executed");
        InProcessMaze.Result real = maze("plan", BACKLOG, "--execute");
        assertThat(real.exitCode()).isEqualTo(2);
        assertThat(real.err()).contains("add --simulate");
        assertThat(maze("plan", BACKLOG, "--simulate").err()).contains("--simulate goes with --execute");
        assertThat(maze("plan", BACKLOG, "--execute", "--simulate", "--time-factor", "0").err())
                .contains("--time-factor must be above 0");
    }

    @Test
    void badInputIsExit2NamingTheProblem() throws IOException {
        InProcessMaze.Result noGpus = maze("plan", STG);
        assertThat(noGpus.exitCode()).isEqualTo(2);
        assertThat(noGpus.err()).contains("is read as stg, which names no cluster: give --gpus G");
        InProcessMaze.Result unknown = maze("plan", BACKLOG, "--strategy", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--strategy: no strategy 'nope'; known: ").contains("dynamic");
        InProcessMaze.Result missing = maze("plan", dir.resolve("none.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                cluster: {gpus: 2}
                models: [{name: m, memoryGb: 1}]
                requests: [{name: r, tasks: [{id: a, model: m, secs: 1}]}]
                """);
        InProcessMaze.Result field = maze("plan", bad.toString());
        assertThat(field.exitCode()).isEqualTo(2);
        assertThat(field.err()).contains(bad.toString()).contains("request 'r' task 'a': unknown field 'secs'");
        InProcessMaze.Result range = maze("plan", BACKLOG, "--gpus", "0");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("--gpus must be from 1 to 4096");
        InProcessMaze.Result models = maze("plan", BACKLOG, "--models", BACKLOG);
        assertThat(models.exitCode()).isEqualTo(2);
        assertThat(models.err()).contains("--models applies to WfCommons instances only");
    }

    @Test
    void tasksWithoutSecondsAreEstimatedByThePredictorAndSaidSo() throws IOException {
        Path file = Files.writeString(dir.resolve("estimate.yaml"), """
                cluster: {gpus: 1}
                models: [{name: m, memoryGb: 10}]
                requests: [{name: r, tasks: [{id: a, model: m}, {id: b, model: m, seconds: 1, after: [a]}]}]
                """);
        InProcessMaze.Result table = maze("plan", file.toString(), "--strategy", "heft", "--predictor", "heuristic");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("1 task(s) state no seconds: estimated by the heuristic predictor");
        InProcessMaze.Result json = maze("plan", file.toString(), "--strategy", "heft", "--predictor", "heuristic",
                "--json");
        JsonNode plan = JSON.readTree(json.out()).get(0);
        assertThat(plan.get("estimatedTasks").asInt()).isEqualTo(1);
        JsonNode a = plan.get("tasks").get(0);
        assertThat(a.get("end").asDouble() - a.get("start").asDouble()).as("the heuristic's 15 s a GPU task")
                .isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-9));
        Path models = Files.createDirectories(dir.resolve("models"));
        InProcessMaze.Result learned = maze("plan", file.toString(), "--strategy", "heft", "--model-dir",
                models.toString());
        assertThat(learned.exitCode()).as(learned.err()).isZero();
        assertThat(learned.out()).contains("estimated by the learned predictor of " + models);
        assertThat(models.toFile().list()).as("planning writes nothing in the model directory").isEmpty();
        InProcessMaze.Result bad = maze("plan", file.toString(), "--predictor", "oracle");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--predictor must be 'learned' or 'heuristic', got 'oracle'");
    }

    @Test
    void aWfCommonsModelMappingGivesACategoryItsGpus() throws IOException {
        Path mapping = Files.writeString(dir.resolve("models.yaml"),
                "models: [{name: mProject, memoryGb: 30, gpusRequired: 2}]\n");
        assumeMontage();
        JsonNode plans = planAndVerify(MONTAGE, "--gpus", "4", "--models", mapping.toString());
        for (JsonNode task : plans.get(0).get("tasks")) {
            assertThat(task.get("gpus").size()).isEqualTo(task.get("model").asText().equals("mProject") ? 2 : 1);
        }
    }

    @Test
    void aStrategysInvalidPlanIsMazesFailureExit3NamingTheViolation() {
        Strategy broken = new Strategy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String description() {
                return "every task at 0 on GPU 0";
            }

            @Override
            public dev.maze.offline.Plan plan(dev.maze.offline.Problem problem, Budget budget) {
                return new dev.maze.offline.Plan(name(), problem, new double[problem.size()], new int[problem.size()]);
            }
        };
        InProcessMaze.Result result = maze(line -> {
            ((PlanCommand) line.getSubcommands().get("plan").getCommand()).extraStrategies = Map.of("broken", broken);
            return line;
        }, "plan", BACKLOG, "--strategy", "dynamic,broken");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("strategy broken produced an invalid plan (a bug in Maze)")
                .contains("before its predecessor");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void verifyWritesNothing() throws IOException {
        Path plan = Files.writeString(dir.resolve("p.json"), "[]");
        InProcessMaze.Result result = maze("plan", BACKLOG, "--verify", plan.toString(), "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--verify checks a plan and writes none: drop --json");
        InProcessMaze.Result empty = maze("plan", BACKLOG, "--verify", plan.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("the array holds no plan");
        Path notAPlan = Files.writeString(dir.resolve("q.json"), "{\"strategy\": \"x\"}");
        InProcessMaze.Result shapeless = maze("plan", BACKLOG, "--verify", notAPlan.toString());
        assertThat(shapeless.exitCode()).isEqualTo(2);
        assertThat(shapeless.err()).contains("a plan is an object with tasks");
    }
}
