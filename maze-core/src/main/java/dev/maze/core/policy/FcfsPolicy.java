package dev.maze.core.policy;

/** Task-level first come, first served: tasks run in the order they became READY. */
public final class FcfsPolicy implements OrderingPolicy {

    @Override
    public String name() {
        return "fcfs";
    }

    @Override
    public QueueKey key(ReadyTask task) {
        return new QueueKey(task.readyAt(), 0);
    }
}
