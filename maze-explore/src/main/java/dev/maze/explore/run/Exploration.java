package dev.maze.explore.run;

import dev.maze.core.clock.Clock;
import dev.maze.explore.Experiment;
import dev.maze.explore.ExperimentJournal;
import dev.maze.explore.Feedback;
import dev.maze.explore.Lease;
import dev.maze.explore.Outcome;
import dev.maze.explore.SchedulerClosedException;
import dev.maze.explore.TraceScheduler;
import dev.maze.explore.TraceSchedulers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code maze explore CONFIG}: N loops, each taking a lease, running the experiment ({@link ExperimentRunner}) and
 * committing it, until the experiment count or the time budget is spent (maze-explore/README.md, "Runner"). The
 * journal, the budget and the experiments' directories live in the configuration's directory, so running the same
 * configuration again resumes where it stopped. Progress goes to {@code progress} (a line per experiment started and
 * ended, each line given to {@code progress}); {@code tree.json} and {@code tree.html} are rewritten after every commit (the page reloads itself while
 * the exploration runs).
 */
public final class Exploration implements AutoCloseable {

    /** Seconds between saves of the time used (and checks of the budget). */
    static final long TICK_MILLIS = 1000;

    private final ExploreConfig config;
    private final Consumer<String> progress;
    private final ExperimentJournal journal;
    private final TraceScheduler scheduler;
    private final TimeBudget budget;
    private final Sandbox sandbox;
    private final WorkflowBackend backend;
    private final ExperimentRunner runner;
    private final AtomicInteger attempts;
    /** Experiments committed or in flight: what the experiment budget counts. */
    private final AtomicInteger counted;
    private volatile boolean stopping;
    private volatile String stoppedBecause;

    /**
     * Opens (or resumes) the exploration: its journal (refused while another process has it), its budget and the
     * sandbox this machine allows.
     */
    public Exploration(ExploreConfig config, WorkflowBackend backend, Clock clock, Consumer<String> progress)
            throws IOException {
        this.config = config;
        this.progress = progress;
        this.backend = backend;
        Files.createDirectories(config.directory());
        journal = ExperimentJournal.open(config.directory().resolve("journal.jsonl"), config.direction());
        budget = TimeBudget.open(config.directory().resolve("budget.json"), config.timeBudgetSeconds(), clock);
        scheduler = TraceSchedulers.create(config.scheduler(), journal.dag(), config.maxTraces(),
                new SplittableRandom(config.seed()));
        sandbox = Sandbox.create(config.sandbox());
        runner = new ExperimentRunner(config, sandbox, backend, budget);
        attempts = new AtomicInteger(lastAttempt(config.directory().resolve("experiments")));
        counted = new AtomicInteger(journal.dag().size());
    }

    /** The journal's warnings on opening it (a torn last line cut off). */
    public List<String> warnings() {
        return journal.warnings();
    }

    /** What the sandbox enforces here, a line per limit. */
    public List<String> sandboxReport() {
        return sandbox.enforcement();
    }

    public TimeBudget budget() {
        return budget;
    }

    public TraceScheduler scheduler() {
        return scheduler;
    }

    /** Why it stopped (budget spent, experiments done, interrupted), once {@link #run} returned. */
    public String stoppedBecause() {
        return stoppedBecause;
    }

    /**
     * Runs the loops until a budget is spent or {@link #stop} is called, then writes the reports.
     *
     * @return the number of experiments committed in this run
     */
    public int run() throws IOException, InterruptedException {
        int before = journal.dag().size();
        if (spentBudget() != null) {
            stoppedBecause = spentBudget();
            report(false);
            return 0;
        }
        report(true);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("maze-explore-budget").factory());
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        List<Thread> loops = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < config.loops(); i++) {
            loops.add(Thread.ofVirtual().name("maze-explore-loop-" + i).start(() -> {
                try {
                    loop();
                } catch (Throwable e) {
                    failures.add(e);
                    stop("a loop failed: " + e);
                }
            }));
        }
        for (Thread loop : loops) {
            loop.join();
        }
        ticker.shutdownNow();
        budget.save();
        if (stoppedBecause == null) {
            stoppedBecause = spentBudget() != null ? spentBudget() : "stopped";
        }
        report(false);
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(first.getMessage(), first);
        }
        return journal.dag().size() - before;
    }

    /** Stops handing out experiments and stops those running (they are not committed: their parents stay open). */
    public void stop(String why) {
        finish(why);
        backend.close();
    }

    /** Hands out nothing more (the first reason given is the one reported); experiments running go on. */
    private void finish(String why) {
        if (stoppedBecause == null) {
            stoppedBecause = why;
        }
        stopping = true;
        scheduler.close();
    }

    /** A lease ended without an experiment: it no longer counts against the experiment budget. */
    private void giveBack(Lease lease) {
        counted.decrementAndGet();
        scheduler.release(lease);
    }

    private void loop() throws IOException, InterruptedException {
        while (!stopping) {
            Lease lease;
            try {
                lease = scheduler.next();
            } catch (SchedulerClosedException e) {
                return;
            }
            if (stopping || counted.incrementAndGet() > limit()) {
                giveBack(lease);
                stopWhenDone();
                return;
            }
            int number = attempts.incrementAndGet();
            String from = lease.parent().isPresent() ? "from experiment " + lease.parent().getAsInt() : "a new trace";
            say(String.format(Locale.ROOT, "started  attempt %d: %s", number, from));
            Feedback feedback;
            try {
                feedback = runner.run(lease, number, scheduler.snapshot());
            } catch (IOException | RuntimeException e) {
                feedback = Feedback.failed(Outcome.ERROR, null).withArtifacts(
                        runner.attemptDir(number).toString(), "the runner failed: " + e);
            }
            if (feedback == null) { // stopped from outside
                giveBack(lease);
                say(String.format(Locale.ROOT, "stopped  attempt %d (not recorded: its parent stays open)", number));
                return;
            }
            Experiment experiment;
            try {
                experiment = scheduler.commit(lease, feedback);
            } catch (UncheckedIOException e) {
                giveBack(lease);
                throw e.getCause();
            }
            budget.save();
            say(line(experiment, number));
            report(true);
            stopWhenDone();
        }
    }

    /** Closes the scheduler once the experiment budget is used up, so that waiting loops end. */
    private void stopWhenDone() {
        if (journal.dag().size() >= limit()) {
            finish(spentBudget());
        }
    }

    private int limit() {
        return config.maxExperiments() == null ? Integer.MAX_VALUE : config.maxExperiments();
    }

    /** Which budget is spent, worded for the user; null while neither is. */
    private String spentBudget() {
        if (journal.dag().size() >= limit()) {
            return "the experiment budget (" + limit() + ") is spent";
        }
        if (budget.spent()) {
            return "the time budget (" + DurationText.format(budget.totalSeconds()) + ") is spent";
        }
        return null;
    }

    /** Every second: save the time used; once it is spent, hand out nothing more (running runs time out). */
    private void tick() {
        try {
            budget.save();
        } catch (IOException e) {
            say("cannot save the time budget: " + e.getMessage());
        }
        if (budget.spent() && !scheduler.isClosed()) {
            finish(spentBudget());
        }
    }

    private String line(Experiment e, int number) {
        var dag = scheduler.snapshot();
        String best = dag.best().map(b -> String.format(Locale.ROOT, "best %s (experiment %d)", number(b.score()),
                b.id())).orElse("no best yet");
        return String.format(Locale.ROOT, "finished attempt %d as experiment %d (%s): %s%s%s; %s; %d in flight; %s",
                number, e.id(), e.parent().isPresent() ? "parent " + e.parent().getAsInt() : "new trace",
                e.feedback().outcome(), e.score() == null ? "" : " score " + number(e.score()),
                e.accepted() ? ", accepted" : e.feedback().outcome() == Outcome.OK ? ", rejected" : "",
                best, scheduler.inFlight().size(), Double.isInfinite(budget.totalSeconds()) ? "no time limit"
                        : DurationText.format(budget.remainingSeconds()) + " left");
    }

    static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.6g", value);
    }

    private synchronized void say(String line) {
        progress.accept("maze explore: " + line);
    }

    private synchronized void report(boolean live) throws IOException {
        TreeReport.write(config, scheduler.snapshot(), scheduler.inFlight().size(), budget, live);
    }

    @Override
    public void close() throws IOException {
        scheduler.close();
        backend.close();
        journal.close();
    }

    /** The highest attempt number used in the experiments directory (0 when none). */
    private static int lastAttempt(Path experiments) throws IOException {
        if (!Files.isDirectory(experiments)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(experiments)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }
}
