package dev.maze.explore.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.LocalNode;
import dev.maze.explore.Experiment;
import dev.maze.explore.ExperimentDag;
import dev.maze.explore.ExperimentJournal;
import dev.maze.explore.Outcome;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Explorations of real processes through an embedded engine: outcomes, the sandbox, budgets and resume. */
@Timeout(120)
class ExploreRunnerTest {

    @TempDir
    Path dir;

    private final StringBuffer progress = new StringBuffer();

    @Test
    void experimentsRunAsWorkflowsInTheirOwnWorkspacesAndChildrenBuildOnTheBestOfTheirPath() throws Exception {
        // Each run adds a line to its workspace's log and scores the number of lines: a child starts from its base.
        ExperimentDag dag = explore("""
                direction: higher
                scheduler: round-robin
                maxTraces: 1
                budget: {experiments: 3}
                propose: {command: [sh, -c, 'echo "$MAZE_NEW_TRACE $MAZE_BASE_SCORE" > proposed']}
                run: {command: [sh, -c, 'echo x >> log; echo "score: $(wc -l < log)"']}
                """);
        assertThat(dag.size()).isEqualTo(3);
        assertThat(dag.experiments()).extracting(Experiment::score).containsExactly(1.0, 2.0, 3.0);
        assertThat(dag.experiments()).allMatch(Experiment::accepted);
        Path last = dir.resolve("e.explore").resolve(dag.experiment(2).feedback().artifacts());
        assertThat(Files.readString(last.resolve("workspace/proposed")).strip()).isEqualTo("0 2.0");
        assertThat(Files.readString(last.resolve("run.stdout"))).contains("score: 3");
        assertThat(dir.resolve("e.explore/tree.json")).content().contains("\"best\" : 2");
        assertThat(dir.resolve("e.explore/tree.html")).content().contains("<h1>e</h1>").doesNotContain("refresh");
        assertThat(progress.toString()).contains("finished attempt 3 as experiment 2 (parent 1): OK score 3");
    }

    @Test
    void aProposalMayBeAnyMazeTaskAndItsOutputReachesTheRun() throws Exception {
        ExperimentDag dag = explore("""
                direction: higher
                budget: {experiments: 1}
                propose: {task: {kind: process, inputs: {command: [sh, -c, 'echo idea-${MAZE_EXPERIMENT}']}}}
                run: {command: [sh, -c, 'printf "%s" "$MAZE_PROPOSAL" > got; echo score: 1']}
                """);
        Path workspace = dir.resolve("e.explore").resolve(dag.experiment(0).feedback().artifacts()).resolve("workspace");
        assertThat(Files.readString(workspace.resolve("got")).strip()).isEqualTo("idea-1");
    }

    @Test
    void aJavaPlugInMayProposeWritingTheChildsWorkspace() throws Exception {
        ExperimentDag dag = explore("""
                direction: higher
                maxTraces: 1
                budget: {experiments: 2}
                propose:
                  task: {kind: java, inputs: {function: test-proposer, experiment: '${MAZE_EXPERIMENT}',
                         workspace: '${MAZE_WORKSPACE}', base: '${MAZE_BASE_SCORE}'}}
                run: {command: [sh, -c, 'test "$(cat idea.txt)" = "$MAZE_PROPOSAL" && echo "score: $MAZE_EXPERIMENT"']}
                """);
        assertThat(dag.experiments()).extracting(e -> e.feedback().outcome()).containsExactly(Outcome.OK, Outcome.OK);
        Path second = dir.resolve("e.explore").resolve(dag.experiment(1).feedback().artifacts()).resolve("workspace");
        assertThat(Files.readString(second.resolve("idea.txt"))).isEqualTo("idea 2 after '1.0'");
    }

    @Test
    void exitCodesTimeoutsAndMissingScoresAreTypedOutcomes() throws Exception {
        ExperimentDag dag = explore("""
                direction: higher
                loops: 1
                maxTraces: 4
                budget: {experiments: 4}
                timeouts: {full: 1s}
                run: {command: [sh, -c, 'case $MAZE_EXPERIMENT in 1) echo boom >&2; exit 3;; 2) sleep 30 & sleep 30;; 3) echo nothing;; *) echo "score: 0.5";; esac']}
                """);
        assertThat(dag.experiments()).extracting(e -> e.feedback().outcome())
                .containsExactly(Outcome.FAILED, Outcome.TIMEOUT, Outcome.ERROR, Outcome.OK);
        assertThat(dag.experiment(0).feedback().exitCode()).isEqualTo(3);
        assertThat(dag.experiment(0).feedback().note()).contains("exit code 3").contains("boom");
        assertThat(dag.experiment(2).feedback().note()).contains("no score");
        assertThat(dag.best().orElseThrow().id()).isEqualTo(3);
        assertThat(dag.experiment(1).feedback().endedAt()).isBefore(dag.experiment(1).feedback().startedAt()
                .plusSeconds(20)); // killed at its limit, its background sleep with it
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").equals("sleep 30"))
                .count()).isZero();
    }

    @Test
    void aScoreFileMayDecideAndTheEnvironmentIsOnlyWhatIsPassed() throws Exception {
        ExperimentDag dag = explore("""
                direction: lower
                budget: {experiments: 1}
                run: {command: [sh, -c, 'if [ -z "$HOME" ] && [ "$ONLY" = yes ]; then s=1; else s=9; fi; echo "{\\"score\\": $s, \\"accepted\\": false}" > out.json']}
                evaluate: {file: out.json}
                sandbox: {passEnv: [PATH], env: {ONLY: "yes"}}
                """);
        Experiment only = dag.experiment(0);
        assertThat(only.score()).isEqualTo(1.0);
        assertThat(only.accepted()).isFalse(); // the file's decision wins
    }

    @Test
    void withoutNetworkARunCannotReachEvenALoopbackServer() throws Exception {
        assumeTrue(Sandbox.create(new Sandbox.Limits(0, 0, 0, false, List.of("PATH"), java.util.Map.of(), null, null))
                .enforcement().stream().anyMatch(line -> line.contains("unshare -n")), "unshare -n not permitted");
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String connect = "python3 -c \"import socket; socket.create_connection(('127.0.0.1', " + server.getLocalPort()
                    + "), 2)\" && echo 'score: 1'";
            ExperimentDag open = explore("direction: higher\nbudget: {experiments: 1}\nrun: {command: [sh, -c, \""
                    + connect.replace("\"", "\\\"") + "\"]}\n");
            assertThat(open.experiment(0).feedback().outcome()).isEqualTo(Outcome.OK);
            ExperimentDag closed = explore("direction: higher\nbudget: {experiments: 1}\nrun: {command: [sh, -c, \""
                    + connect.replace("\"", "\\\"") + "\"]}\nsandbox: {network: false}\n", "f");
            assertThat(closed.experiment(0).feedback().outcome()).isEqualTo(Outcome.FAILED);
        }
    }

    @Test
    void aRunPastItsMemoryLimitIsAnOomWhereACgroupEnforcesIt() throws Exception {
        Sandbox probe = Sandbox.create(new Sandbox.Limits(64L << 20, 0, 0, true, List.of("PATH"), java.util.Map.of(), null, null));
        assumeTrue(probe.enforcement().get(0).contains("cgroup"), "no writable cgroup: " + probe.enforcement());
        ExperimentDag dag = explore("""
                direction: higher
                budget: {experiments: 1}
                run: {command: [python3, -c, 'b = bytearray(400 * 1024 * 1024); print("score: 1")']}
                sandbox: {memory: 64m}
                """);
        assertThat(dag.experiment(0).feedback().outcome()).isEqualTo(Outcome.OOM);
        assertThat(dag.experiment(0).feedback().exitCode()).isEqualTo(137);
    }

    @Test
    void anExplorationResumesFromItsJournalAndKeepsTheTimeItUsed() throws Exception {
        String config = "direction: higher\nmaxTraces: 2\nbudget: {experiments: %d, time: 1h}\n"
                + "run: {command: [sh, -c, 'echo \"score: $MAZE_EXPERIMENT\"']}\n";
        ExperimentDag first = explore(config.formatted(2));
        assertThat(first.size()).isEqualTo(2);
        double used = TimeBudget.open(dir.resolve("e.explore/budget.json"), 3600, WallClock.sinceEpoch()).usedSeconds();
        assertThat(used).isPositive();
        ExperimentDag again = explore(config.formatted(2)); // nothing left to do
        assertThat(again.size()).isEqualTo(2);
        ExperimentDag more = explore(config.formatted(4));
        assertThat(more.size()).isEqualTo(4);
        assertThat(more.experiments()).extracting(Experiment::score).containsExactly(1.0, 2.0, 3.0, 4.0); // attempts go on
        assertThat(TimeBudget.open(dir.resolve("e.explore/budget.json"), 3600, WallClock.sinceEpoch()).usedSeconds())
                .isGreaterThan(used);
    }

    @Test
    void aSpentTimeBudgetStartsNothingAndStoppingLeavesRunningExperimentsUnrecorded() throws Exception {
        Files.createDirectories(dir.resolve("e.explore"));
        Files.writeString(dir.resolve("e.explore/budget.json"), "{\"totalSeconds\": 60, \"usedSeconds\": 60}");
        ExperimentDag none = explore("direction: higher\nbudget: {time: 60s}\nrun: {command: [sh, -c, 'echo score: 1']}\n");
        assertThat(none.size()).isZero();

        Path file = dir.resolve("g.yaml");
        Files.writeString(file, "direction: higher\nloops: 2\nbudget: {experiments: 10}\n"
                + "run: {command: [sh, -c, 'sleep 30']}\n");
        ExploreConfig config = ExploreConfig.read(file);
        try (Exploration exploration = new Exploration(config, backend(), WallClock.sinceEpoch(),
                line -> progress.append(line).append('\n'))) {
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                exploration.stop("interrupted");
            });
            long began = System.nanoTime();
            exploration.run();
            stopper.join();
            assertThat((System.nanoTime() - began) / 1e9).isLessThan(20);
            assertThat(exploration.stoppedBecause()).isEqualTo("interrupted");
        }
        assertThat(ExperimentJournal.read(config.directory().resolve("journal.jsonl")).dag().size()).isZero();
    }

    @Test
    void inAContainerTheEngineGetsTheLimitsTheWorkspaceIsMountedAndOomAndTimeoutsAreTyped() throws Exception {
        try (FakeDockerEngine docker = new FakeDockerEngine()) {
            String sandbox = "sandbox: {memory: 256m, cpus: 0.5, pids: 64, network: false, container: {image: "
                    + "'python:3.12-slim', host: '" + docker.host() + "'}}\n";
            ExperimentDag ok = explore("direction: higher\nbudget: {experiments: 1}\n" + sandbox
                    + "run: {command: [sh, -c, 'test \"$MAZE_WORKSPACE\" = /workspace && echo x > made && echo score: 2']}\n",
                    "c1", docker.host());
            assertThat(ok.experiment(0).feedback().outcome()).as(ok.experiment(0).feedback().note()).isEqualTo(Outcome.OK);
            assertThat(ok.experiment(0).score()).isEqualTo(2.0);
            assertThat(dir.resolve("c1.explore").resolve(ok.experiment(0).feedback().artifacts()).resolve("workspace/made"))
                    .exists();
            var spec = docker.created.get(0);
            assertThat(spec.path("Image").asText()).isEqualTo("python:3.12-slim");
            assertThat(spec.path("WorkingDir").asText()).isEqualTo("/workspace");
            assertThat(spec.path("HostConfig").path("Memory").asLong()).isEqualTo(256L << 20);
            assertThat(spec.path("HostConfig").path("NanoCpus").asLong()).isEqualTo(500_000_000L);
            assertThat(spec.path("HostConfig").path("PidsLimit").asLong()).isEqualTo(64);
            assertThat(spec.path("HostConfig").path("NetworkMode").asText()).isEqualTo("none");
            assertThat(spec.path("HostConfig").path("Binds").path(0).asText()).endsWith(":/workspace:rw");

            ExperimentDag oom = explore("direction: higher\nbudget: {experiments: 1}\n" + sandbox
                    + "run: {command: [oom]}\n", "c2", docker.host());
            assertThat(oom.experiment(0).feedback().outcome()).isEqualTo(Outcome.OOM);
            assertThat(oom.experiment(0).feedback().exitCode()).isEqualTo(137);

            ExperimentDag slow = explore("direction: higher\nbudget: {experiments: 1}\ntimeouts: {full: 1s}\n"
                    + sandbox + "run: {command: [sleep, '30']}\n", "c3", docker.host());
            assertThat(slow.experiment(0).feedback().outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(docker.removed).hasSize(docker.created.size()); // every container removed, the killed one too
        }
    }

    /** Against a real Docker or Podman where one answers and $MAZE_TEST_CONTAINER_IMAGE names an image with sh. */
    @Test
    void aRealContainerEngineRunsTheExperimentWhereOneIsAvailable() throws Exception {
        String image = System.getenv("MAZE_TEST_CONTAINER_IMAGE");
        assumeTrue(image != null && !image.isBlank(), "set MAZE_TEST_CONTAINER_IMAGE (e.g. alpine:3) to run it");
        String host;
        try (ContainerExecutor probe = ContainerExecutor.connect(null)) {
            host = probe.host();
        } catch (IllegalStateException e) {
            assumeTrue(false, e.getMessage());
            return;
        }
        ExperimentDag dag = explore("direction: higher\nbudget: {experiments: 1}\nsandbox: {memory: 128m, network: false, "
                + "container: {image: '" + image + "'}}\nrun: {command: [sh, -c, 'echo score: 1']}\n", "real", host);
        assertThat(dag.experiment(0).feedback().outcome()).isEqualTo(Outcome.OK);
    }

    private ExperimentDag explore(String yaml) throws Exception {
        return explore(yaml, "e");
    }

    private ExperimentDag explore(String yaml, String name) throws Exception {
        return explore(yaml, name, null);
    }

    private ExperimentDag explore(String yaml, String name, String containerHost) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        ExploreConfig config = ExploreConfig.read(file);
        try (Exploration exploration = new Exploration(config, containerHost == null ? backend()
                : WorkflowBackend.embedded(Engine.builder().clock(WallClock.sinceEpoch())
                        .nodes(List.of(LocalNode.detect("local", 0, 0)))
                        .executor(ContainerExecutor.connect(containerHost)).build().start()), WallClock.sinceEpoch(),
                line -> progress.append(line).append('\n'))) {
            exploration.run();
        }
        return ExperimentJournal.read(config.directory().resolve("journal.jsonl")).dag();
    }

    private static WorkflowBackend backend() {
        return WorkflowBackend.embedded(Engine.builder().clock(WallClock.sinceEpoch())
                .nodes(List.of(LocalNode.detect("local", 0, 0))).build().start());
    }
}
