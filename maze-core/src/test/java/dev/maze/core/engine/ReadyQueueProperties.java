package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.Resources;
import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import dev.maze.core.workflow.IdentityCache;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** The ready queue split by resource class reads exactly as one sorted set would, and a dropped class is skipped. */
class ReadyQueueProperties {

    private static final Comparator<TaskRun> ORDER = Comparator.<TaskRun>comparingInt(t -> t.keyRank)
            .thenComparingDouble(t -> t.keyPrimary).thenComparingLong(t -> t.keySequence);

    private static List<TaskRun> tasks(Choices choices) {
        int count = choices.between(0, 60);
        WorkflowBuilder builder = WorkflowBuilder.workflow("q");
        for (int i = 0; i < count; i++) {
            Resources resources = choices.oneOf(new Resources(1, 0, 1, 0, "m"), new Resources(1, 0, 0, 0, null),
                    new Resources(0, 0, 0, 0, null));
            builder.task("t" + i, t -> t.resources(resources).input("seconds", 0));
        }
        if (count == 0) {
            return List.of();
        }
        WorkflowSpec spec = builder.build();
        WorkflowRun run = new WorkflowRun("w", spec, new CompletableFuture<>(),
                WorkflowShape.of(spec.tasks(), new IdentityCache<>(4)));
        List<TaskRun> tasks = new ArrayList<>(List.of(run.tasks));
        long sequence = 0;
        for (TaskRun task : tasks) { // as in the engine, the sequence makes every key unique
            task.keyRank = choices.between(0, 2);
            task.keyPrimary = choices.between(0, 5);
            task.keySequence = sequence++;
        }
        return tasks;
    }

    @SeededProperty(tries = 300, seed = 20261202)
    void aWalkReadsInTheOrderOfOneSortedSetAndRemovesWhatItIsToldTo(long seed) {
        Choices choices = Choices.of(seed);
        List<TaskRun> tasks = tasks(choices);
        ReadyQueue queue = new ReadyQueue(ORDER);
        TreeSet<TaskRun> reference = new TreeSet<>(ORDER);
        tasks.forEach(queue::add);
        tasks.forEach(reference::add);

        List<TaskRun> walked = new ArrayList<>();
        List<TaskRun> removed = new ArrayList<>();
        for (ReadyQueue.Walk walk = queue.walk(); walk.hasNext(); ) {
            TaskRun task = walk.next();
            walked.add(task);
            if (choices.anyBoolean()) {
                walk.remove();
                removed.add(task);
            }
        }

        assertThat(walked).containsExactlyElementsOf(reference);
        reference.removeAll(removed);
        List<TaskRun> left = new ArrayList<>();
        queue.walk().forEachRemaining(left::add);
        assertThat(left).containsExactlyElementsOf(reference);
        assertThat(queue.size()).isEqualTo(reference.size());
    }

    @SeededProperty(tries = 300, seed = 20261203)
    void aDroppedClassIsSkippedForTheRestOfTheWalkOnly(long seed) {
        Choices choices = Choices.of(seed);
        List<TaskRun> tasks = tasks(choices);
        ReadyQueue queue = new ReadyQueue(ORDER);
        TreeSet<TaskRun> reference = new TreeSet<>(ORDER);
        tasks.forEach(queue::add);
        tasks.forEach(reference::add);
        int dropAfter = choices.between(0, 20);

        List<TaskRun> walked = new ArrayList<>();
        int dropped = -1;
        for (ReadyQueue.Walk walk = queue.walk(); walk.hasNext(); ) {
            TaskRun task = walk.next();
            walked.add(task);
            if (walked.size() == dropAfter) {
                dropped = ReadyQueue.classOf(task);
                walk.dropClass(dropped);
            }
        }

        List<TaskRun> expected = new ArrayList<>();
        for (TaskRun task : reference) {
            if (expected.size() < dropAfter || ReadyQueue.classOf(task) != dropped) {
                expected.add(task);
            }
        }
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(queue.size()).as("dropping removes nothing").isEqualTo(tasks.size());
    }
}
