package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WfCommons loader on the five shared instances, and its refusals. */
class WfCommonsLoaderTest {

    static final Path SAMPLE = Path.of(System.getProperty("user.dir")).getParent().resolve("../shared/data/wfcommons")
            .normalize();

    @TempDir
    Path dir;

    /**
     * The shared sample, or the test is skipped: its instances are LGPL-3.0 data, read from the project's shared folder
     * beside the checkout rather than copied into this repository.
     */
    static Path sample() {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLE), "no WfCommons sample at " + SAMPLE
                + " (the project's shared data beside the checkout): skipped");
        return SAMPLE;
    }

    static List<Path> instances() throws IOException {
        try (Stream<Path> files = Files.list(sample())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everySampleInstanceGivesItsTasksRuntimesCategoriesAndAValidPlan() throws IOException {
        List<Path> files = instances();
        assertThat(files).hasSize(5);
        ObjectMapper mapper = new ObjectMapper();
        for (Path file : files) {
            JsonNode root = mapper.readTree(file.toFile());
            JsonNode spec = root.path("workflow").path("specification").path("tasks");
            JsonNode exec = root.path("workflow").path("execution").path("tasks");
            Problem problem = WfCommonsLoader.problem(file, Cluster.of(4), Map.of());
            assertThat(problem.size()).as(file.toString()).isEqualTo(spec.size());
            Set<String> programs = new HashSet<>();
            long edges = 0;
            for (JsonNode t : spec) {
                edges += t.path("parents").size();
            }
            for (JsonNode run : exec) {
                programs.add(run.path("command").path("program").asText());
                PlanTask task = problem.task(problem.indexOf(run.path("id").asText()));
                assertThat(task.seconds()).isEqualTo(run.path("runtimeInSeconds").asDouble());
                assertThat(task.model()).isEqualTo(run.path("command").path("program").asText());
            }
            assertThat(problem.tasks().stream().mapToLong(t -> t.after().size()).sum()).isEqualTo(edges);
            assertThat(problem.models().keySet()).as("one model per category").isEqualTo(programs);
            assertThat(problem.models().values()).allMatch(m -> m.memoryGb() == 0 && m.gpusRequired() == 1);
            for (Strategy strategy : Strategies.all()) {
                Plan plan = strategy.plan(problem, new Strategy.Budget(1, 42));
                assertThat(Verifier.violations(plan)).as(file + " " + strategy.name()).isEmpty();
            }
        }
    }

    @Test
    void aMappingSetsACategorysModel() throws IOException {
        Path montage = sample().resolve("montage-chameleon-dss-05d-001.json");
        Problem problem = WfCommonsLoader.problem(montage, Cluster.of(4),
                Map.of("mProject", new Model("mProject", 20, 2)));
        assertThat(problem.models().get("mProject").gpusRequired()).isEqualTo(2);
        assertThat(problem.models().get("mAdd").memoryGb()).isZero();
    }

    @Test
    void otherSchemaVersionsAndBrokenTasksAreRefusedNamingTheFileAndField() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path montage = sample().resolve("montage-chameleon-dss-05d-001.json");
        ObjectNode root = (ObjectNode) mapper.readTree(montage.toFile());

        ObjectNode old = root.deepCopy();
        old.put("schemaVersion", "1.3");
        Path oldFile = dir.resolve("old.json");
        mapper.writeValue(oldFile.toFile(), old);
        assertThatThrownBy(() -> WfCommonsLoader.read(oldFile)).hasMessageStartingWith(oldFile + ": ")
                .hasMessageContaining("schemaVersion 1.3 is not read").hasMessageContaining("reads schema 1.5");

        ObjectNode noRuntime = root.deepCopy();
        ((ObjectNode) noRuntime.path("workflow").path("execution").path("tasks").get(0)).remove("runtimeInSeconds");
        Path noRuntimeFile = dir.resolve("noruntime.json");
        mapper.writeValue(noRuntimeFile.toFile(), noRuntime);
        String first = noRuntime.path("workflow").path("execution").path("tasks").get(0).path("id").asText();
        assertThatThrownBy(() -> WfCommonsLoader.read(noRuntimeFile)).hasMessageStartingWith(noRuntimeFile + ": ")
                .hasMessageContaining("task '" + first + "'").hasMessageContaining("runtimeInSeconds");

        ObjectNode noProgram = root.deepCopy();
        ((ObjectNode) noProgram.path("workflow").path("execution").path("tasks").get(0)).remove("command");
        Path noProgramFile = dir.resolve("noprogram.json");
        mapper.writeValue(noProgramFile.toFile(), noProgram);
        assertThatThrownBy(() -> WfCommonsLoader.read(noProgramFile)).hasMessageContaining("command.program is missing");

        ObjectNode badParent = root.deepCopy();
        ((ObjectNode) badParent.path("workflow").path("specification").path("tasks").get(0)).putArray("parents")
                .add("ghost");
        Path badParentFile = dir.resolve("parent.json");
        mapper.writeValue(badParentFile.toFile(), badParent);
        assertThatThrownBy(() -> WfCommonsLoader.problem(badParentFile, Cluster.of(2), Map.of()))
                .hasMessageStartingWith(badParentFile + ": ").hasMessageContaining("ghost");
    }
}
