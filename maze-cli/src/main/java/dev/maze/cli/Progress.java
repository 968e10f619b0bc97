package dev.maze.cli;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Live progress of a run on stderr. On a terminal: a table redrawn in place a few times a second. Otherwise:
 * one plain line per workflow end and per failed attempt. The engine calls the listener methods on its loop,
 * so they only record; a printer thread does the output, from {@link #start()} on.
 *
 * <p>The table is redrawn by moving the cursor up as many lines as it drew, so two things would leave stale lines
 * above it: a line of the table wider than the terminal (it wraps onto two), and anything else written to stderr
 * while it is live (a log warning). Each line is therefore cut to the terminal's width ({@code -Dmaze.columns}, which
 * {@code bin/maze} passes, else {@code $COLUMNS}, else 80), and while the table is live {@code System.err} is
 * captured: what is written there is printed above the table, which is then drawn again below it.
 */
final class Progress implements EngineListener, AutoCloseable {

    private static final int MAX_ROWS = 16;
    private static final long REDRAW_MILLIS = 200;
    private static final int RECENT_LINES = 5;
    /** A READY task that waits longer than this says why (engine-clock seconds). */
    static final double WAITING_NOTICE_SECONDS = 5;
    /** How often the engine is asked which tasks wait (wall time). */
    private static final long WAITING_POLL_MILLIS = 2000;

    /** Per-workflow counters; guarded by {@code this}. */
    private static final class Row {
        final String id;
        final String name;
        final int order;
        int total;
        int finished;
        int running;
        WorkflowState state = WorkflowState.RUNNING;
        double startedAt;
        double endedAt = Double.NaN;

        Row(String id, String name, int order, double startedAt) {
            this.id = id;
            this.name = name;
            this.order = order;
            this.startedAt = startedAt;
        }
    }

    private final PrintWriter err;
    private final boolean live;
    private final boolean enabled;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Live mode: the latest event lines, shown under the table; guarded by {@code this}. */
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Thread printer;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private int drawnLines;
    /** Terminal columns: no line of the live table is wider. */
    private final int columns;
    /** Live mode: lines others wrote to stderr, to print above the table at the next redraw; guarded by {@code this}. */
    private final ArrayDeque<String> above = new ArrayDeque<>();
    /** Live mode: {@code System.err} before {@link #start()} replaced it, and what replaced it. */
    private java.io.PrintStream originalErr;
    private java.io.PrintStream capture;
    private volatile boolean started;
    /** Per waiting task, the reason last told (a task is announced again only when its reason changes). */
    private final Map<String, String> toldWaiting = new java.util.HashMap<>();
    private volatile Engine watched;
    private long lastPoll;

    /**
     * @param live redraw a table (for a terminal) instead of printing lines
     * @param enabled false prints nothing at all (--quiet)
     */
    Progress(PrintWriter err, boolean live, boolean enabled) {
        this(err, live, enabled, terminalColumns());
    }

    /** @param columns the terminal's width (live mode cuts every line to it) */
    Progress(PrintWriter err, boolean live, boolean enabled, int columns) {
        this.err = err;
        this.live = live;
        this.enabled = enabled;
        this.columns = Math.max(20, columns);
        this.printer = new Thread(this::print, "maze-progress");
        printer.setDaemon(true);
    }

    /**
     * Starts printing. Call it after the lines that go before the table: a line printed on {@code err} after the
     * first frame would shift the table and leave that frame's first line stale above it.
     */
    void start() {
        if (!enabled || started) {
            return;
        }
        started = true;
        if (live) {
            originalErr = System.err;
            capture = new java.io.PrintStream(new LineCapture(this::printAbove), true, java.nio.charset.StandardCharsets.UTF_8);
            System.setErr(capture);
        }
        printer.start();
    }

    /** The terminal's width in columns: {@code -Dmaze.columns} (bin/maze), else {@code $COLUMNS}, else 80. */
    static int terminalColumns() {
        for (String value : new String[] {System.getProperty("maze.columns"), System.getenv("COLUMNS")}) {
            try {
                if (value != null && Integer.parseInt(value.trim()) > 0) {
                    return Integer.parseInt(value.trim());
                }
            } catch (NumberFormatException e) {
                // not a width: try the next source
            }
        }
        return 80;
    }

    /** A line someone wrote to stderr while the table is live: printed above it at the next redraw. */
    private synchronized void printAbove(String line) {
        above.addLast(line);
    }

    /** Collects what is written to it into lines, handing each complete one on (UTF-8). */
    private static final class LineCapture extends java.io.OutputStream {
        private final java.util.function.Consumer<String> lines;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        LineCapture(java.util.function.Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.accept(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }

        @Override
        public synchronized void close() {
            if (pending.size() > 0) {
                write('\n');
            }
        }
    }

    /** Whether stderr is a terminal: bin/maze tells us (the JDK 21 API cannot tell reliably). */
    static boolean stderrIsTerminal() {
        String flag = System.getProperty("maze.tty");
        return flag != null ? Boolean.parseBoolean(flag) : System.console() != null;
    }

    @Override
    public synchronized void onTaskEvent(TaskEvent event) {
        Row row = rows.get(event.workflowId());
        if (row == null) {
            return;
        }
        switch (event.state()) {
            case PENDING -> {
                if (event.attempt() == 0) {
                    row.total++;
                } else {
                    row.running--;
                    say(event.timeSeconds(), event.workflowId() + " task '" + event.taskId() + "': " + event.message());
                }
            }
            case RUNNING -> row.running++;
            case FINISHED -> {
                row.running--;
                row.finished++;
            }
            case FAILED -> {
                row.running--;
                say(event.timeSeconds(), event.workflowId() + " task '" + event.taskId() + "' FAILED: " + event.message());
            }
            // Cancels only happen as a workflow ends, which resets its running count.
            case CANCELLED, READY -> {}
        }
    }

    @Override
    public synchronized void onWorkflowEvent(WorkflowEvent event) {
        if (event.state() == WorkflowState.RUNNING) {
            rows.put(event.workflowId(), new Row(event.workflowId(), event.name(), rows.size(), event.timeSeconds()));
            return;
        }
        Row row = rows.get(event.workflowId());
        if (row != null) {
            row.state = event.state();
            row.endedAt = event.timeSeconds();
            row.running = 0;
            String latency = String.format("%.1f s", event.timeSeconds() - row.startedAt);
            say(event.timeSeconds(), event.workflowId() + " " + event.state() + " after " + latency
                    + (event.message() != null ? ": " + event.message() : ""));
        }
    }

    /**
     * Asks {@code engine} every few seconds which READY tasks have waited longer than
     * {@value #WAITING_NOTICE_SECONDS} s, and says why each waits (once per task and reason).
     */
    void watchWaiting(Engine engine) {
        this.watched = engine;
    }

    private void pollWaiting() {
        Engine engine = watched;
        long now = System.nanoTime();
        if (engine == null || now - lastPoll < TimeUnit.MILLISECONDS.toNanos(WAITING_POLL_MILLIS)) {
            return;
        }
        lastPoll = now;
        double clock;
        List<WorkflowSnapshot> active;
        try {
            clock = engine.stats().get(1, TimeUnit.SECONDS).nowSeconds();
            active = engine.activeWorkflows().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return; // the engine is closing or busy: try again at the next poll
        }
        synchronized (this) {
            for (WorkflowSnapshot workflow : active) {
                for (TaskSnapshot task : workflow.tasks()) {
                    String key = workflow.id() + "/" + task.id();
                    if (task.state() != TaskState.READY || task.pendingReason() == null || task.readyAt() == null
                            || clock - task.readyAt() < WAITING_NOTICE_SECONDS) {
                        continue;
                    }
                    if (!task.pendingReason().equals(toldWaiting.put(key, task.pendingReason()))) {
                        say(clock, workflow.id() + " task '" + task.id() + "' waiting "
                                + String.format("%.0f s", clock - task.readyAt()) + ": " + task.pendingReason());
                    }
                }
            }
        }
    }

    private void say(double timeSeconds, String text) {
        String line = String.format("[%7.1fs] %s", timeSeconds, text);
        if (live) {
            recent.addLast(line); // guarded by this: say is called from the synchronized listener methods
            if (recent.size() > RECENT_LINES) {
                recent.removeFirst();
            }
        } else {
            lines.add(line);
        }
    }

    private void print() {
        try {
            while (!stopping) {
                pollWaiting();
                if (live) {
                    redraw();
                    Thread.sleep(REDRAW_MILLIS); // a refresh rate, not a wait for a condition
                } else {
                    String line = lines.poll(REDRAW_MILLIS, TimeUnit.MILLISECONDS);
                    if (line != null) {
                        err.println(line);
                        err.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void redraw() {
        List<String> table = table();
        List<String> before;
        synchronized (this) {
            before = new ArrayList<>(above);
            above.clear();
        }
        StringBuilder out = new StringBuilder();
        if (drawnLines > 0) {
            out.append("\u001b[").append(drawnLines).append("F\u001b[J"); // up to the table's first line, clear below
        }
        before.forEach(line -> out.append(line).append('\n')); // they stay: only the table is redrawn
        // One line of the table must be one line on the terminal, or moving up drawnLines would fall short of its top.
        table.forEach(line -> out.append(DisplayWidth.truncate(line, columns - 1)).append('\n'));
        err.print(out);
        err.flush();
        drawnLines = table.size();
    }

    private synchronized List<String> table() {
        List<String> table = new ArrayList<>();
        int done = 0;
        int failed = 0;
        int running = 0;
        for (Row row : rows.values()) {
            done += row.state == WorkflowState.FINISHED ? 1 : 0;
            failed += row.state == WorkflowState.FAILED || row.state == WorkflowState.CANCELLED ? 1 : 0;
            running += row.running;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        table.add(String.format("maze %6.1fs %s  %d/%d workflows done, %d failed, %d tasks running", elapsed,
                bar(done + failed, rows.size(), 16), done + failed, rows.size(), failed, running));
        table.add(String.format("  %-28s %-10s %-22s %s", "WORKFLOW", "STATUS", "TASKS", "RUNNING"));
        // Active workflows first (in submission order), then the most recently ended ones.
        List<Row> shown = new ArrayList<>(rows.values());
        shown.sort(Comparator.<Row, Boolean>comparing(r -> r.state.isTerminal())
                .thenComparing(r -> r.state.isTerminal() ? -r.endedAt : r.order));
        for (Row row : shown.subList(0, Math.min(MAX_ROWS, shown.size()))) {
            table.add("  " + DisplayWidth.padRight(DisplayWidth.truncate(row.id, 28), 28) + String.format(" %-10s %s %2d/%-2d  %s",
                    row.state, bar(row.finished, row.total, 14), row.finished, row.total, row.running > 0 ? row.running : ""));
        }
        if (shown.size() > MAX_ROWS) {
            table.add("  ... and " + (shown.size() - MAX_ROWS) + " more");
        }
        recent.forEach(table::add);
        return table;
    }

    private static String bar(int done, int total, int width) {
        int filled = total == 0 ? 0 : (int) Math.round((double) done / total * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }


    /** Stops the printer after a last redraw (live) or after printing every queued line. */
    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        if (!started || stopping) {
            return; // never started: the run did not begin (invalid input), and a table of nothing would only confuse
        }
        stopping = true;
        try {
            printer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (live) {
            if (System.err == capture) {
                System.setErr(originalErr);
            }
            capture.close(); // a last partial line goes above the table too
            redraw();
        } else {
            for (String line; (line = lines.poll()) != null; ) {
                err.println(line);
            }
        }
        err.flush();
    }
}
