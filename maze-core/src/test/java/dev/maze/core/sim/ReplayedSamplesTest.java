package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks that replay measured runs: each arrival draws one run's features and time. */
class ReplayedSamplesTest {

    private static final String WORKLOAD = """
            name: replay
            cluster: {nodes: [{count: 1, cpu: 4, memoryGb: 16, gpus: 1, gpuMemoryGb: 80}]}
            classes:
              llm: {toolType: llm_process, resources: {gpus: 1}, duration: {distribution: samples, file: runs.csv}}
            types:
              - name: ask
                tasks:
                  - {id: prep, duration: 0.1}
                  - {id: answer, class: llm, dependsOn: [prep]}
            arrivals: {batch: {count: 20, atSeconds: 0}}
            """;

    private static Path workload(Path dir, String csv) throws Exception {
        Files.writeString(dir.resolve("runs.csv"), csv);
        Path file = dir.resolve("replay.yaml");
        Files.writeString(file, WORKLOAD);
        return file;
    }

    @Test
    void eachArrivalGetsOneRunsFeaturesAndTimeAndTheSameSeedTheSameRuns(@TempDir Path dir) throws Exception {
        Path file = workload(dir, "token_count,reason,exec_time\n100,0,10\n200,1,40\n300,0,30\n");
        WorkloadDefinition definition = WorkloadParser.parseFile(file, Map.of());
        List<Arrival> arrivals = definition.arrivals(7);
        Map<Double, Double> timeByTokens = Map.of(100.0, 10.0, 200.0, 40.0, 300.0, 30.0);
        for (Arrival arrival : arrivals) {
            TaskSpec answer = arrival.spec().tasks().get(1);
            double tokens = answer.features().get("token_count");
            assertThat(answer.inputs().get("duration").get("seconds").asDouble()).isEqualTo(timeByTokens.get(tokens));
            assertThat(answer.features().get("reason")).isEqualTo(tokens == 200 ? 1.0 : 0.0);
            assertThat(arrival.spec().tasks().get(0).features()).isEmpty();
        }
        assertThat(arrivals.stream().map(a -> a.spec().tasks().get(1).features().get("token_count")).distinct())
                .as("20 draws from 3 runs").hasSize(3);
        assertThat(definition.arrivals(7).stream().map(a -> a.spec().tasks().get(1).features()).toList())
                .isEqualTo(arrivals.stream().map(a -> a.spec().tasks().get(1).features()).toList());
        assertThat(Simulation.run(definition, "daps", 7).workflows()).hasSize(20);
    }

    @Test
    void aBadSamplesFileIsReportedWithTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = workload(dir, "token_count,exec_time\n100,ten\n");
        assertThatThrownBy(() -> WorkloadParser.parseFile(file, Map.of())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("runs.csv line 2, column 'exec_time': expected a number, found 'ten'");
        Files.delete(dir.resolve("runs.csv"));
        assertThatThrownBy(() -> WorkloadParser.parseFile(file, Map.of())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("classes.llm.duration.file").hasMessageContaining("file not found");
    }
}
