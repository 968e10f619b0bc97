package dev.maze.server.api;

import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.StateEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands the engine's stored events to the event streams (server-sent events) as they happen. The engine loop calls
 * {@link #onStateEvents} and must never wait for a client: each stream has a bounded queue, and a stream whose client
 * falls that far behind is ended (it resumes from the journal with {@code Last-Event-ID}, losing nothing).
 */
public final class EventHub implements EngineListener {

    /** Events a stream may hold for a slow client before it is ended. */
    static final int QUEUE = 10_000;

    /** One stream's queue: the events of one workflow, or of all when {@code workflowId} is null. */
    static final class Subscription {
        final String workflowId;
        final BlockingQueue<StateEvent> queue = new ArrayBlockingQueue<>(QUEUE);
        volatile boolean overflowed;

        Subscription(String workflowId) {
            this.workflowId = workflowId;
        }

        void offer(List<StateEvent> batch) {
            for (StateEvent event : batch) {
                if (workflowId == null || event instanceof StateEvent.OfWorkflow w && w.workflowId().equals(workflowId)) {
                    if (!queue.offer(event)) {
                        overflowed = true;
                        return;
                    }
                }
            }
        }
    }

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final List<Consumer<List<StateEvent>>> observers =
            new CopyOnWriteArrayList<>();

    @Override
    public void onStateEvents(List<StateEvent> batch) {
        for (Subscription subscription : subscriptions) {
            subscription.offer(batch);
        }
        for (var observer : observers) {
            observer.accept(batch);
        }
    }

    /** Calls {@code observer} with each stored batch, on the engine loop: it must be quick and must not block. */
    void observe(Consumer<List<StateEvent>> observer) {
        observers.add(observer);
    }

    Subscription subscribe(String workflowId) {
        Subscription subscription = new Subscription(workflowId);
        subscriptions.add(subscription);
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }
}
