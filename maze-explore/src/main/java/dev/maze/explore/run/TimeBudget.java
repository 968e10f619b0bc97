package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.clock.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An exploration's wall-clock budget that survives a restart: the seconds used so far are kept in a small JSON file
 * ({@code {"totalSeconds": 3600, "usedSeconds": 1210.5}}), saved at each {@link #save} (the runner saves after every
 * commit and every few seconds), so stopping and resuming later goes on with what was left. Time passes on an
 * injected {@link Clock}, so tests run it in virtual time. Thread-safe.
 */
public final class TimeBudget {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final Clock clock;
    private final double totalSeconds;
    private final double usedBefore;
    private final long startedNanos;

    private TimeBudget(Path file, Clock clock, double totalSeconds, double usedBefore) {
        this.file = file;
        this.clock = clock;
        this.totalSeconds = totalSeconds;
        this.usedBefore = usedBefore;
        this.startedNanos = clock.nanos();
    }

    /**
     * The budget of {@code file}, going on from the seconds it records as used (none when it does not exist).
     *
     * @param totalSeconds the budget now (infinite for none): a changed configuration may extend or cut it
     * @throws IllegalArgumentException naming the file when it is not a budget this class wrote
     */
    public static TimeBudget open(Path file, double totalSeconds, Clock clock) throws IOException {
        double used = 0;
        if (Files.exists(file)) {
            JsonNode node;
            try {
                node = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not a time budget (" + e.getMessage() + "); delete it to "
                        + "start the budget over");
            }
            JsonNode value = node == null ? null : node.get("usedSeconds");
            if (value == null || !value.isNumber() || !(value.asDouble() >= 0)) {
                throw new IllegalArgumentException(file + ": usedSeconds must be a number of 0 or more; delete the file "
                        + "to start the budget over");
            }
            used = value.asDouble();
        }
        return new TimeBudget(file, clock, totalSeconds, used);
    }

    /** Seconds used, before this run and in it. */
    public synchronized double usedSeconds() {
        return usedBefore + (clock.nanos() - startedNanos) / 1e9;
    }

    /** The budget, infinite for none. */
    public double totalSeconds() {
        return totalSeconds;
    }

    /** Seconds left, at least 0; infinite without a budget. */
    public double remainingSeconds() {
        return Math.max(0, totalSeconds - usedSeconds());
    }

    public boolean spent() {
        return remainingSeconds() <= 0;
    }

    /** Writes the seconds used so far (atomically: a crash leaves the old figure or the new one). */
    public synchronized void save() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
        if (Double.isFinite(totalSeconds)) {
            node.put("totalSeconds", totalSeconds);
        } else {
            node.putNull("totalSeconds");
        }
        node.put("usedSeconds", usedSeconds());
        Files.writeString(tmp, node.toString() + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
