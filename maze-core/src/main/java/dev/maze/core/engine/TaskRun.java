package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.placement.Assignment;
import dev.maze.core.policy.ReadyTask;
import dev.maze.core.workflow.TaskSpec;

/** A task inside the engine. Mutable; touched only on the engine loop. */
final class TaskRun implements ReadyTask {

    final WorkflowRun workflow;
    final TaskSpec spec;
    /** Position in the workflow's topological order; changes when tasks are added (the ready-queue key does not). */
    int topologicalIndex;
    /** Indices (in the workflow) of tasks that depend on this one. */
    int[] successors = new int[0];
    int predecessorsLeft;
    int ancestorCount;
    int descendantCount;

    TaskState state = TaskState.PENDING;
    /** Attempts counted against the retry budget (a lost attempt is not counted). */
    int attempt;
    /** Id of the latest attempt (0 before the first): reports from any other attempt are stale. */
    long attemptId;
    int lostAttempts;
    Runnable retryTimer;
    TaskExecutor.Execution execution;
    Assignment assignment;
    Runnable timeoutTimer;
    double readyAt = Double.NaN;
    double modelLoadSeconds;
    double startedAt = Double.NaN;
    double finishedAt = Double.NaN;
    double predictedSeconds;
    /** Features finished predecessors stated for this task ({@code succ_task_feat}). */
    final SuccessorFeatures features = new SuccessorFeatures();
    /** Longest sum of successors' predicted times on a path from this task to the end (set on acceptance). */
    double pathAfterSeconds;
    JsonNode output;
    String error;

    /** Ready-queue key: priority class rank, policy key, arrival sequence. */
    int keyRank;
    double keyPrimary;
    double keySecondary;
    long keySequence;

    TaskRun(WorkflowRun workflow, TaskSpec spec, int topologicalIndex) {
        this.workflow = workflow;
        this.spec = spec;
        this.topologicalIndex = topologicalIndex;
    }

    @Override
    public TaskSpec spec() {
        return spec;
    }

    @Override
    public String workflowName() {
        return workflow.spec.name();
    }

    @Override
    public double workflowSubmittedAt() {
        return workflow.submittedAt;
    }

    @Override
    public double readyAt() {
        return readyAt;
    }

    @Override
    public int workflowInferences() {
        return workflow.inferences;
    }

    @Override
    public int remainingInferences() {
        return workflow.remainingInferences;
    }

    @Override
    public double predictedSeconds() {
        return predictedSeconds;
    }

    @Override
    public double criticalPathSeconds() {
        return workflow.criticalPathSeconds;
    }

    @Override
    public double remainingPathSeconds() {
        return predictedSeconds + pathAfterSeconds;
    }

    @Override
    public int topologicalIndex() {
        return topologicalIndex;
    }

    @Override
    public int ancestors() {
        return ancestorCount;
    }

    @Override
    public int descendants() {
        return descendantCount;
    }

    @Override
    public int remainingTasks() {
        return workflow.unfinished;
    }

    TaskSnapshot snapshot(String nodeName, String pendingReason) {
        return new TaskSnapshot(spec.id(), spec.toolType(), state, attempt, nodeName, nanToNull(readyAt),
                nanToNull(startedAt), nanToNull(finishedAt), output, error, modelLoadSeconds,
                Double.isNaN(readyAt) ? null : predictedSeconds, pendingReason);
    }

    private static Double nanToNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    @Override
    public String toString() {
        return workflow.id + "/" + spec.id();
    }
}
