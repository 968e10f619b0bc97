package dev.maze.explore.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.explore.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file, durations and the persisted time budget. */
class ExploreConfigTest {

    @TempDir
    Path dir;

    @Test
    void durationsAreSecondsOrAmountsWithUnitsAndAnythingElseIsAnErrorNamingTheField() {
        assertThat(DurationText.seconds("90", "f")).isEqualTo(90);
        assertThat(DurationText.seconds("10m", "f")).isEqualTo(600);
        assertThat(DurationText.seconds("1h30m", "f")).isEqualTo(5400);
        assertThat(DurationText.seconds("1.5h", "f")).isEqualTo(5400);
        assertThat(DurationText.seconds("250ms", "f")).isEqualTo(0.25);
        for (String bad : new String[] {"", "ten minutes", "10x", "m10", "-5s", "0", "1h30", "400d"}) {
            assertThatThrownBy(() -> DurationText.seconds(bad, "explore.yaml: budget: time")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("explore.yaml: budget: time: '");
        }
        assertThat(DurationText.format(3725)).isEqualTo("1h 2m");
        assertThat(DurationText.format(65)).isEqualTo("1m 5s");
    }

    @Test
    void theTimeUsedSurvivesARestartAndTheBudgetGoesOnFromIt() throws IOException {
        Path file = dir.resolve("budget.json");
        VirtualClock clock = new VirtualClock();
        TimeBudget first = TimeBudget.open(file, 100, clock);
        clock.advanceTo(40_000_000_000L);
        assertThat(first.remainingSeconds()).isEqualTo(60);
        first.save();
        VirtualClock later = new VirtualClock(); // a new process: its clock starts again
        TimeBudget resumed = TimeBudget.open(file, 100, later);
        assertThat(resumed.usedSeconds()).isEqualTo(40);
        later.advanceTo(70_000_000_000L);
        assertThat(resumed.spent()).isTrue();
        assertThat(resumed.remainingSeconds()).isZero();
        assertThat(TimeBudget.open(dir.resolve("none.json"), Double.POSITIVE_INFINITY, later).remainingSeconds())
                .isInfinite();
        Files.writeString(file, "{\"usedSeconds\": \"a lot\"}");
        assertThatThrownBy(() -> TimeBudget.open(file, 100, later)).hasMessageContaining("budget.json: usedSeconds");
    }

    @Test
    void aConfigurationIsReadWithItsDefaults() throws IOException {
        Path file = write("direction: lower\nbudget: {experiments: 5}\nrun: {command: [sh, ./go.sh, x.py]}\n");
        ExploreConfig config = ExploreConfig.read(file);
        assertThat(config.direction()).isEqualTo(Direction.LOWER);
        assertThat(config.name()).isEqualTo("e");
        assertThat(config.directory()).isEqualTo(dir.resolve("e.explore"));
        assertThat(config.scheduler()).isEqualTo("round-robin");
        assertThat(config.loops()).isEqualTo(1);
        assertThat(config.debugTimeoutSeconds()).isEqualTo(600);
        assertThat(config.fullTimeoutSeconds()).isEqualTo(3600);
        assertThat(config.timeBudgetSeconds()).isInfinite();
        assertThat(config.run()).containsExactly("sh", dir.resolve("go.sh").toString(), "x.py");
        assertThat(config.sandbox().network()).isTrue();
    }

    @Test
    void badConfigurationsAreRefusedNamingTheFieldAndWhatToWrite() throws IOException {
        String ok = "direction: higher\nbudget: {experiments: 5}\nrun: {command: [sh, x]}\n";
        refused("budget: {experiments: 5}\nrun: {command: [sh]}\n", "direction is missing");
        refused("direction: up\nbudget: {experiments: 5}\nrun: {command: [sh]}\n", "direction");
        refused("direction: higher\nrun: {command: [sh]}\n", "budget must be a mapping");
        refused("direction: higher\nbudget: {}\nrun: {command: [sh]}\n", "budget: give experiments");
        refused("direction: higher\nbudget: {time: soon}\nrun: {command: [sh]}\n", "budget: time: 'soon' is not a "
                + "duration");
        refused(ok + "timeouts: {full: 0}\n", "timeouts: full");
        refused(ok + "timeout: {full: 1h}\n", "unknown field 'timeout'");
        refused("direction: higher\nbudget: {experiments: 5}\nrun: {command: []}\n", "run: command must be a "
                + "non-empty list");
        refused(ok + "scheduler: best\n", "scheduler: ");
        refused(ok + "sandbox: {memory: lots}\n", "sandbox: memory: 'lots' is not a size");
        refused(ok + "sandbox: {passEnv: [PATH, 'A B']}\n", "is not a variable name");
        refused(ok + "evaluate: {pattern: 'score'}\n", "pattern needs a group");
        refused(ok + "evaluate: {file: ../up.json}\n", "evaluate: file must be a path inside");
        refused(ok + "accept: always\n", "accept must be 'improves'");
        refused(ok + "workspace: missing\n", "workspace: ");
        refused(ok + "propose: {command: [sh], task: {kind: sim}}\n", "propose: give either command");
        refused(ok + "propose: {task: {id: p, kind: sim, inputs: {seconds: 1}}}\n", "propose: task: id is given");
        refused(ok + "propose: {task: {kind: teleport}}\n", "propose: task: ");
    }

    private void refused(String content, String message) throws IOException {
        Path file = write(content);
        assertThatThrownBy(() -> ExploreConfig.read(file)).as(content).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, content);
        return file;
    }
}
