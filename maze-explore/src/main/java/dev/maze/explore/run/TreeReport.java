package dev.maze.explore.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.maze.explore.Experiment;
import dev.maze.explore.ExperimentDag;
import dev.maze.explore.ExperimentJournal;
import dev.maze.explore.Feedback;
import dev.maze.explore.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The exploration tree as {@code tree.json} (for programs) and {@code tree.html} (for people: every experiment under
 * its parent, outcome, score, decision, the best highlighted), and the summary both start with. Written atomically
 * (a reader never sees half a file).
 */
public final class TreeReport {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final Template PAGE;

    static {
        try (InputStream in = TreeReport.class.getResourceAsStream("tree.html.mustache")) {
            PAGE = Mustache.compiler().escapeHTML(true).defaultValue("")
                    .compile(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TreeReport() {}

    /** One line: experiments, traces, the best, and why it stopped where it has. */
    public static String summary(ExperimentDag dag) {
        Optional<Experiment> best = dag.best();
        long accepted = dag.experiments().stream().filter(Experiment::accepted).count();
        return String.format(Locale.ROOT, "%d experiment(s), %d accepted, in %d trace(s); %s", dag.size(), accepted,
                dag.roots().size(), best.map(b -> "best " + Exploration.number(b.score()) + " (experiment " + b.id()
                        + ", depth " + dag.depth(b.id()) + ", " + b.feedback().artifacts() + ")").orElse("no best yet"));
    }

    /** The tree as text, a line per experiment under its parent: id, outcome, score, decision; the best marked. */
    public static String text(ExperimentDag dag) {
        StringBuilder text = new StringBuilder();
        Integer best = dag.best().map(Experiment::id).orElse(null);
        for (Experiment root : dag.roots()) {
            text(dag, root, 0, best, text);
        }
        return text.toString();
    }

    private static void text(ExperimentDag dag, Experiment e, int depth, Integer best, StringBuilder text) {
        Feedback f = e.feedback();
        text.append("  ".repeat(depth)).append(depth == 0 ? "* " : "└ ").append(e.id()).append(' ')
                .append(f.outcome()).append(f.exitCode() != null && f.exitCode() != 0 ? " (" + f.exitCode() + ")" : "")
                .append(f.score() == null ? "" : " " + Exploration.number(f.score()))
                .append(f.outcome() == dev.maze.explore.Outcome.OK ? (f.accepted() ? " accepted" : " rejected") : "")
                .append(best != null && best == e.id() ? "  <- best" : "").append('\n');
        for (Experiment child : dag.children(e.id())) {
            text(dag, child, depth + 1, best, text);
        }
    }

    static void write(ExploreConfig config, ExperimentDag dag, int inFlight, TimeBudget budget, boolean live)
            throws IOException {
        atomically(config.directory().resolve("tree.json"), JSON.writeValueAsString(json(config, dag, inFlight,
                budget)));
        atomically(config.directory().resolve("tree.html"), PAGE.execute(page(config, dag, inFlight, budget, live)));
    }

    static ObjectNode json(ExploreConfig config, ExperimentDag dag, int inFlight, TimeBudget budget) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", config.name()).put("direction", dag.direction().label()).put("scheduler", config.scheduler());
        root.put("inFlight", inFlight).put("usedSeconds", budget.usedSeconds());
        if (Double.isFinite(budget.totalSeconds())) {
            root.put("totalSeconds", budget.totalSeconds());
        } else {
            root.putNull("totalSeconds");
        }
        dag.best().ifPresentOrElse(b -> root.put("best", b.id()), () -> root.putNull("best"));
        ArrayNode experiments = root.putArray("experiments");
        for (Experiment e : dag.experiments()) {
            experiments.add(ExperimentJournal.json(e).put("depth", dag.depth(e.id())));
        }
        ArrayNode traces = root.putArray("traces");
        for (Trace trace : dag.traces()) {
            ObjectNode item = traces.addObject().put("root", trace.root().id()).put("leaf", trace.leaf().id())
                    .put("length", trace.length());
            trace.best().ifPresentOrElse(b -> item.put("best", b.id()), () -> item.putNull("best"));
        }
        return root;
    }

    private static Map<String, Object> page(ExploreConfig config, ExperimentDag dag, int inFlight, TimeBudget budget,
            boolean live) {
        Map<String, Object> page = new HashMap<>();
        page.put("live", live);
        page.put("name", config.name());
        page.put("summary", summary(dag));
        page.put("scheduler", config.scheduler());
        page.put("direction", dag.direction().label());
        page.put("experiments", dag.size());
        page.put("traces", dag.roots().size());
        page.put("inFlight", inFlight);
        page.put("used", DurationText.format(budget.usedSeconds()));
        page.put("total", Double.isFinite(budget.totalSeconds()) ? DurationText.format(budget.totalSeconds()) : null);
        Integer best = dag.best().map(Experiment::id).orElse(null);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Experiment root : dag.roots()) {
            rows(dag, root, 0, best, rows);
        }
        page.put("rows", rows);
        return page;
    }

    /** The subtree under {@code e} in depth-first order, children by id. */
    private static void rows(ExperimentDag dag, Experiment e, int depth, Integer best, List<Map<String, Object>> rows) {
        Feedback f = e.feedback();
        Map<String, Object> row = new HashMap<>();
        row.put("id", e.id());
        row.put("indent", 0.5 + 1.5 * depth);
        row.put("child", depth > 0);
        row.put("outcome", f.outcome().name());
        row.put("exitCode", f.exitCode() == null || f.exitCode() == 0 ? null : f.exitCode());
        row.put("score", Exploration.number(f.score()));
        row.put("accepted", f.accepted());
        row.put("decision", f.accepted() ? "accepted" : "rejected");
        row.put("best", best != null && best == e.id());
        row.put("seconds", f.startedAt() == null || f.endedAt() == null ? "-"
                : String.format(Locale.ROOT, "%.1f", Duration.between(f.startedAt(), f.endedAt()).toMillis() / 1000.0));
        row.put("artifacts", f.artifacts());
        row.put("note", f.note());
        rows.add(row);
        for (Experiment child : dag.children(e.id())) {
            rows(dag, child, depth + 1, best, rows);
        }
    }

    private static void atomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
