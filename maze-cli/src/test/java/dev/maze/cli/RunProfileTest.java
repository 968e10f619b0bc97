package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.cli.InProcessMaze.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maze run --profile}: a whole scheduler profile from the registry {@code maze simulate} uses, through the real
 * command line; {@code --policy} stays an ordering alone on run's defaults, and the two exclude each other.
 */
class RunProfileTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    Path models;
    /** Two workflows of one type ("chat"), each one 1 s CPU step. */
    Path twoChats;
    /** One model call of tool type llm_process. */
    Path oneCall;

    @BeforeEach
    void writeWorkflows() throws Exception {
        models = temp.resolve("models"); // never the user's own models
        twoChats = temp.resolve("chats.yaml");
        Files.writeString(twoChats, """
                - name: chat
                  id: c1
                  tasks: [{id: step, kind: sim, inputs: {seconds: 1}}]
                - name: chat
                  id: c2
                  tasks: [{id: step, kind: sim, inputs: {seconds: 1}}]
                """);
        oneCall = temp.resolve("call.yaml");
        Files.writeString(oneCall, """
                name: call
                tasks:
                  - {id: answer, kind: sim, toolType: llm_process, resources: {gpus: 1, model: m}, inputs: {seconds: 0.2}}
                """);
    }

    private Result run(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "run";
        all[1] = "--model-dir";
        all[2] = models.toString();
        all[3] = "--cpus";
        all[4] = "4";
        System.arraycopy(args, 0, all, 5, args.length);
        return maze(all);
    }

    @Test
    void profileAgentRunsTheAgentPoolsSoTwoWorkflowsOfOneTypeRunOneAfterTheOther() throws Exception {
        // --policy agent is the ordering alone (no pools): both chats start at once on the 4 cores.
        JsonNode policy = JSON.readTree(run("--policy", "agent", "--json", twoChats.toString()).out()).get("workflows");
        assertThat(policy.get(1).get("latencySeconds").asDouble()).isLessThan(1.8);
        // --profile agent is maze simulate's agent profile: one agent for type chat, so c2 waits for c1.
        Result profile = run("--profile", "agent", "--json", twoChats.toString());
        assertThat(profile.exitCode()).as(profile.err()).isZero();
        JsonNode workflows = JSON.readTree(profile.out()).get("workflows");
        assertThat(workflows.get(0).get("latencySeconds").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(workflows.get(1).get("latencySeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void theProfileIsNamedWithItsPredictorAndTheSummarySaysWhichOptionChoseIt() {
        Result mars = run("--gpus", "1", oneCall.toString());
        assertThat(mars.exitCode()).as(mars.err()).isZero();
        assertThat(mars.err()).as("the default: ordering daps alone, learned predictor").contains("with policy daps on",
                "predictor learned (" + models + ")");
        assertThat(mars.out()).contains("|  policy daps");

        Result profile = run("--gpus", "1", "--profile", "mars", oneCall.toString());
        assertThat(profile.exitCode()).as(profile.err()).isZero();
        assertThat(profile.err()).contains("with profile mars (Model-Aware Reuse Scheduler",
                "predictor Maze's moving average per resource class");
        assertThat(profile.out()).contains("|  profile mars");

        Result ablation = run("--gpus", "1", "--profile", "daps:w1=0,w2=1", oneCall.toString());
        assertThat(ablation.exitCode()).as(ablation.err()).isZero();
        assertThat(ablation.out()).contains("|  profile daps:w1=0,w2=1");
    }

    @Test
    void aLearnedProfileLearnsIntoTheModelDirectoryAsRunDoes() {
        Result result = run("--gpus", "1", "-q", "--profile", "daps-learned", oneCall.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(models.resolve("llm_process/dataset.csv")).exists();

        Result ema = maze("run", "--gpus", "1", "-q", "--profile", "daps", "--model-dir", temp.resolve("untouched").toString(),
                oneCall.toString());
        assertThat(ema.exitCode()).as(ema.err()).isZero();
        assertThat(temp.resolve("untouched")).as("daps predicts with its moving average: no model directory").doesNotExist();
    }

    @Test
    void policyAndProfileExcludeEachOther() {
        Result result = run("--policy", "daps", "--profile", "mars", oneCall.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--policy and --profile cannot be used together", "--profile daps:w1=3,w2=1");

        Result predictor = run("--profile", "mars", "--predictor", "heuristic", oneCall.toString());
        assertThat(predictor.exitCode()).isEqualTo(2);
        assertThat(predictor.err()).contains("--predictor cannot be used with --profile");
    }

    @Test
    void anUnknownProfileOrKeyIsAUsageErrorSayingWhatIsKnown() {
        Result unknown = run("--profile", "fastest", oneCall.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown profile 'fastest'", "daps-warm", "mars", "agent", "mars-learned");

        Result key = run("--profile", "mars:w3=1", oneCall.toString());
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.err()).contains("profile mars: unknown parameter 'w3'", "its ordering daps-laxity takes w1, w2");
    }

    @Test
    void helpSaysWhichOptionIsWhich() {
        Result run = maze("run", "--help");
        assertThat(run.out()).contains("--policy NAME: an ordering policy alone, on run's defaults (default: daps)",
                "--profile NAME: a whole scheduler profile, the one `maze simulate --policy",
                "Ordering policy alone", "mars-learned");
        Result simulate = maze("simulate", "--help");
        assertThat(simulate.out()).contains("--policy, --profile", "names whole profiles", "daps:w1=0,w2=1");
    }
}
