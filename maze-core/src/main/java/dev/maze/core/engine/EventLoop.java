package dev.maze.core.engine;

import dev.maze.core.clock.Clock;
import dev.maze.core.clock.VirtualClock;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's single thread of control and its timers (DESIGN.md principle 1). Events from any thread go through
 * {@link #post}; the loop runs them, fires due timers, and when nothing else is queued ends the turn and runs a
 * scheduling pass. On a {@link VirtualClock} it jumps to the next timer when nothing can happen before it, which
 * makes the same loop a discrete-event simulator. What a turn and a pass do is the {@link Turns}' business.
 */
final class EventLoop {

    /** What the loop drives. All methods are called on the loop thread. */
    interface Turns {
        /** The events of the turn just run are complete (the journal flushes them here). */
        void endTurn();

        /** Whether a scheduling pass is due. */
        boolean passDue();

        /** Runs one scheduling pass. */
        void pass();

        /** Attempts running off the loop (the loop must wait for their reports rather than jump the clock). */
        int runningOffLoop();

        /** The loop stopped on an unexpected error. */
        void crashed(Throwable error);
    }

    private final Clock clock;
    private final VirtualClock virtualClock;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    private Turns turns;
    private volatile Thread loopThread;
    private volatile boolean closed;

    EventLoop(Clock clock) {
        this.clock = clock;
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
    }

    void drive(Turns value) {
        this.turns = value;
    }

    Clock clock() {
        return clock;
    }

    boolean closed() {
        return closed;
    }

    /** Stops the loop after the current event (called on the loop). */
    void stop() {
        closed = true;
    }

    boolean onLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Runs the loop on a new platform thread. */
    void startThread() {
        Thread thread = new Thread(() -> run(false), "maze-engine");
        thread.setDaemon(true);
        claim(thread);
        thread.start();
    }

    /** Runs the loop on the calling thread until no event, timer or off-loop attempt is left. */
    void runUntilIdle() {
        claim(Thread.currentThread());
        run(true);
    }

    private synchronized void claim(Thread thread) {
        if (loopThread != null) {
            throw new IllegalStateException("engine loop is already running");
        }
        loopThread = thread;
    }

    /** The loop's thread while it runs, else null. */
    Thread thread() {
        return loopThread;
    }

    private void run(boolean untilIdle) {
        try {
            while (!closed) {
                drain();
                if (closed) {
                    break; // close() ran as an event: stop now rather than wait for one more event that never comes
                }
                fireDueTimers();
                if (!local.isEmpty()) {
                    continue;
                }
                turns.endTurn();
                if (turns.passDue()) {
                    turns.pass();
                    turns.endTurn();
                    if (!local.isEmpty()) {
                        continue;
                    }
                }
                Timer next = nextTimer();
                boolean quiet = turns.runningOffLoop() == 0 && inbox.isEmpty();
                if (virtualClock != null && quiet && next != null) {
                    virtualClock.advanceTo(next.due);
                    continue;
                }
                if (untilIdle && quiet && next == null) {
                    return;
                }
                // An overdue timer waits 0, never "forever" (a negative wait means no timer to await).
                long waitNanos = next == null || virtualClock != null ? -1 : Math.max(0, next.due - clock.nanos());
                awaitEvent(waitNanos);
            }
            turns.endTurn();
        } catch (RuntimeException | Error e) {
            turns.crashed(e);
            throw e;
        } finally {
            synchronized (this) {
                loopThread = null;
            }
        }
    }

    private void drain() {
        for (Runnable event; (event = inbox.poll()) != null; ) {
            local.add(event);
        }
        for (Runnable event; (event = local.poll()) != null; ) {
            event.run();
        }
    }

    private void awaitEvent(long waitNanos) {
        try {
            Runnable event = waitNanos < 0 ? inbox.take() : inbox.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            if (event != null) {
                local.add(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Hands an event to the loop: directly when already on it (runs after the current event), else via the inbox. */
    void post(Runnable event) {
        if (Thread.currentThread() == loopThread) {
            local.add(event);
        } else {
            inbox.add(event);
        }
    }

    /** Runs {@code action} on the loop and returns its answer; inline when no loop is running. */
    <T> CompletableFuture<T> query(Supplier<T> action) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable event = () -> {
            try {
                answer.complete(action.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        };
        synchronized (this) {
            if (loopThread == null) {
                event.run(); // no loop running: the caller is the only thread touching the state
                turns.endTurn();
                return answer;
            }
        }
        post(event);
        return answer;
    }

    // ------------------------------------------------------------------ timers

    private static final class Timer implements Comparable<Timer> {
        final long due;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Timer(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * Runs {@code action} on the loop after {@code delaySeconds}; returns a cancel handle. Loop only. The due time
     * saturates at the end of the clock's range, so no delay, however large, can wrap around into the past.
     */
    Runnable schedule(double delaySeconds, Runnable action) {
        return scheduleAtNanos(saturatingAdd(clock.nanos(), delaySeconds), action);
    }

    /** As {@link #schedule}, at an absolute engine-clock time (at once when it is past). Loop only. */
    Runnable scheduleAt(double atSeconds, Runnable action) {
        long now = clock.nanos();
        return scheduleAtNanos(Math.max(now, saturatingAdd(0, atSeconds)), action);
    }

    private Runnable scheduleAtNanos(long due, Runnable action) {
        Timer timer = new Timer(due, timerSequence++, action);
        timers.add(timer);
        return () -> timer.cancelled = true;
    }

    static long saturatingAdd(long nanos, double seconds) {
        long delta = Math.round(seconds * 1e9); // itself saturates at Long.MIN_VALUE/MAX_VALUE (NaN gives 0)
        long sum = nanos + delta;
        if (((nanos ^ sum) & (delta ^ sum)) < 0) { // overflow: both operands had the sign the sum lost
            return delta > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    private Timer nextTimer() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        return timers.peek();
    }

    private void fireDueTimers() {
        long now = clock.nanos();
        for (Timer timer; (timer = nextTimer()) != null && timer.due <= now; ) {
            timers.poll();
            timer.action.run();
        }
    }
}
