package dev.maze.explore;

import java.time.Instant;

/**
 * What one experiment's run reported, as the runner hands it to {@link TraceScheduler#commit}: the decision, the
 * score, how the run ended and where its files are. The DAG adds the id and the parent ({@link Experiment}).
 *
 * @param accepted whether the experiment was accepted (it improved on what it derived from); only an {@link Outcome#OK}
 *     run can be
 * @param score the metric, finite, or null when the run produced none
 * @param outcome how the run ended
 * @param exitCode the process's exit status where known, else null
 * @param startedAt when the run started, or null when unknown
 * @param endedAt when it ended, not before {@code startedAt}, or null when unknown
 * @param artifacts where the experiment's workspace and outputs are (a path as the runner writes it), or null
 * @param note a free text for people (the hypothesis, why it was rejected), or null
 */
public record Feedback(boolean accepted, Double score, Outcome outcome, Integer exitCode, Instant startedAt,
        Instant endedAt, String artifacts, String note) {

    /** @throws IllegalArgumentException for a missing outcome, a score that is not finite, an accepted run that
     *     did not end {@link Outcome#OK}, or an end before the start */
    public Feedback {
        if (outcome == null) {
            throw new IllegalArgumentException("an experiment needs an outcome (OK, FAILED, TIMEOUT, OOM or ERROR)");
        }
        if (score != null && !Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be a finite number or absent, not " + score);
        }
        if (accepted && outcome != Outcome.OK) {
            throw new IllegalArgumentException("only an experiment whose run ended OK can be accepted, not one that "
                    + "ended " + outcome);
        }
        if (startedAt != null && endedAt != null && endedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("endedAt " + endedAt + " is before startedAt " + startedAt);
        }
    }

    /** A run that ended {@link Outcome#OK}, accepted or not, with its score (or null), and nothing else known. */
    public static Feedback ok(boolean accepted, Double score) {
        return new Feedback(accepted, score, Outcome.OK, null, null, null, null, null);
    }

    /** A run that did not end OK (never accepted), with its exit code where known. */
    public static Feedback failed(Outcome outcome, Integer exitCode) {
        return new Feedback(false, null, outcome, exitCode, null, null, null, null);
    }

    /** This feedback with its run's start and end times. */
    public Feedback withTimes(Instant started, Instant ended) {
        return new Feedback(accepted, score, outcome, exitCode, started, ended, artifacts, note);
    }

    /** This feedback with its artifacts path and note. */
    public Feedback withArtifacts(String path, String text) {
        return new Feedback(accepted, score, outcome, exitCode, startedAt, endedAt, path, text);
    }
}
