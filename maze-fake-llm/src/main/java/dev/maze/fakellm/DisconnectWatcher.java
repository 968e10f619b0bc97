package dev.maze.fakellm;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Notices clients that go away while their request waits or decodes, as vLLM does (it aborts the request): every
 * {@link #PROBE_MILLIS} ms it reads, without blocking, from each watched connection; end of stream or an error means
 * the client closed it, and the request's thread is interrupted, which ends its wait and frees its slot.
 *
 * <p>Jetty itself does not read a connection while its request is being handled, so nothing else reads there: a
 * watch starts after the request body has been read. A client that pipelines its next request on the same connection
 * before this answer ends would lose its first byte; HTTP clients do not pipeline.
 */
final class DisconnectWatcher implements AutoCloseable {

    static final long PROBE_MILLIS = 10;

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-llm-disconnect-watch");
        thread.setDaemon(true);
        return thread;
    });

    DisconnectWatcher() {
        probe.scheduleWithFixedDelay(this::probeAll, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Watches the connection of {@code ctx} (whose body has been read) on behalf of the calling thread. */
    Watch watch(Context ctx) {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData()
                .getConnection().getEndPoint();
        Watch watch = new Watch(endPoint, Thread.currentThread());
        watches.add(watch);
        return watch;
    }

    private void probeAll() {
        for (Watch watch : watches) {
            watch.probe();
        }
    }

    /** Stops watching; the requests still watched are interrupted (the server is closing, their clients are not gone). */
    @Override
    public void close() {
        probe.shutdownNow();
        for (Watch watch : watches) {
            watch.interruptForClose();
        }
    }

    /** One request's watch; close it before the request's thread moves on. */
    final class Watch implements AutoCloseable {
        private final EndPoint endPoint;
        private final Thread thread;
        private final CountDownLatch gone = new CountDownLatch(1);
        private final ByteBuffer scratch = ByteBuffer.allocate(1);
        private boolean closed; // guarded by this

        private Watch(EndPoint endPoint, Thread thread) {
            this.endPoint = endPoint;
            this.thread = thread;
            scratch.flip();
        }

        /** Whether the client has been seen to go away. */
        boolean disconnected() {
            return gone.getCount() == 0;
        }

        /** Marks the client gone, e.g. because a write to it failed. */
        void markDisconnected() {
            gone.countDown();
        }

        /** Blocks until the client goes away (a hung answer); an interrupt ends the wait too. */
        void awaitDisconnect() throws InterruptedException {
            gone.await();
        }

        private void probe() {
            int read;
            try {
                scratch.clear().flip(); // position 0, limit 0: fill appends after the limit
                read = endPoint.fill(scratch);
            } catch (IOException e) {
                read = -1;
            }
            if (read < 0 || !endPoint.isOpen()) {
                synchronized (this) {
                    if (!closed) {
                        gone.countDown();
                        thread.interrupt();
                        closed = true;
                    }
                }
                watches.remove(this);
            }
        }

        private synchronized void interruptForClose() {
            if (!closed) {
                thread.interrupt();
            }
        }

        /** Stops watching; clears an interrupt the watch may have delivered, so it reaches nothing else. */
        @Override
        public void close() {
            watches.remove(this);
            synchronized (this) {
                closed = true;
            }
            if (Thread.currentThread() == thread) {
                Thread.interrupted();
            }
        }
    }
}
