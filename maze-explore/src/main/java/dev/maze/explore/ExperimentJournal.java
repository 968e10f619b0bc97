package dev.maze.explore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exploration's DAG on disk, one JSON object per line (maze-explore/README.md, "Journal"): a header with the format
 * version and the direction, then one line per committed experiment in commit order. {@link #open} restores the DAG
 * and appends each experiment committed afterwards, written and forced to the disk before the commit returns, so an
 * interrupted exploration resumes where it stopped.
 *
 * <p>A last line without its line feed that does not parse is what a crash in the middle of a write leaves: it is
 * ignored with a {@linkplain #warnings() warning} (and cut off by {@link #open} before the next append). Any other
 * line that does not parse, or that breaks the DAG's rules, is an error naming the file and the line, and nothing is
 * changed. One process at a time: {@link #open} takes a file lock.
 */
public final class ExperimentJournal implements Closeable {

    /** The value of the header's {@code journal} field. */
    public static final String FORMAT = "maze-explore";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentJournal.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final List<String> HEADER_FIELDS = List.of("journal", "version", "direction");
    private static final List<String> EXPERIMENT_FIELDS = List.of("id", "parent", "accepted", "score", "outcome",
            "exitCode", "startedAt", "endedAt", "artifacts", "note");

    /**
     * A journal as read.
     *
     * @param dag the experiments it holds
     * @param warnings what was read past (a torn last line), for the user
     */
    public record Contents(ExperimentDag dag, List<String> warnings) {
        public Contents {
            warnings = List.copyOf(warnings);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final ExperimentDag dag;
    private final List<String> warnings;
    private String broken;

    private ExperimentJournal(Path file, FileChannel channel, FileLock lock, Contents contents) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.dag = contents.dag();
        this.warnings = contents.warnings();
        dag.writeTo(this::append);
    }

    /**
     * Opens the journal at {@code file} for an exploration: restores its DAG, or creates the file with its header when
     * it does not exist or is empty. The DAG then appends every experiment committed to it.
     *
     * @param direction the exploration's direction; an existing journal must have the same
     * @throws JournalException for a journal that cannot be read (naming the line), another direction, or a file
     *     another process has open; nothing is changed then
     */
    public static ExperimentJournal open(Path file, Direction direction) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            if (lock == null) {
                throw new JournalException(file, 0, "in use (another exploration has it open)");
            }
            byte[] content = readAll(channel);
            Parsed parsed = content.length == 0 ? null : parse(file, content);
            if (parsed != null && parsed.dag() != null && parsed.dag().direction() != direction) {
                throw new JournalException(file, 1, "this journal's scores improve " + parsed.dag().direction().label()
                        + ", the exploration says " + direction.label() + ": use the same direction or another journal");
            }
            List<String> warnings = new ArrayList<>();
            ExperimentDag dag;
            if (parsed == null || parsed.dag() == null) {
                if (parsed != null) {
                    warnings.addAll(parsed.warnings());
                }
                channel.truncate(0);
                write(channel, 0, (header(direction) + "\n").getBytes(StandardCharsets.UTF_8));
                channel.force(true);
                forceDirectory(file);
                dag = new ExperimentDag(direction);
            } else {
                warnings.addAll(parsed.warnings());
                if (parsed.validLength() < content.length) {
                    channel.truncate(parsed.validLength());
                }
                if (parsed.missingLineFeed()) {
                    write(channel, parsed.validLength(), new byte[] {'\n'});
                }
                channel.force(true);
                dag = parsed.dag();
            }
            for (String warning : warnings) {
                LOG.warn(warning);
            }
            return new ExperimentJournal(file, channel, lock, new Contents(dag, warnings));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads a journal without changing it (a torn last line is left in place and reported as a warning).
     *
     * @throws JournalException for a line that cannot be read, naming it
     */
    public static Contents read(Path file) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JournalException(file, 0, "no such file");
        }
        Parsed parsed = parse(file, content);
        if (parsed.dag() == null) {
            throw new JournalException(file, 1, "no complete header line (the file was cut while it was created)");
        }
        return new Contents(parsed.dag(), parsed.warnings());
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The DAG restored from the file; experiments committed to it are appended to the file. */
    public ExperimentDag dag() {
        return dag;
    }

    /** What was read past when the journal was opened (a torn last line), for the user. */
    public List<String> warnings() {
        return warnings;
    }

    /** Releases the file (its lock); the DAG can no longer be committed to. */
    @Override
    public void close() throws IOException {
        broken = "the journal was closed";
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Writes one experiment's line and forces it to the disk; a failed write is cut off again. */
    private void append(Experiment experiment) throws IOException {
        if (broken != null) {
            throw new JournalException(file, 0, "cannot append: " + broken);
        }
        long before = channel.size();
        try {
            write(channel, before, (line(experiment) + "\n").getBytes(StandardCharsets.UTF_8));
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(before);
                channel.force(false);
            } catch (IOException again) {
                e.addSuppressed(again);
                broken = "an earlier append failed and could not be undone (" + e.getMessage() + ")";
            }
            throw e;
        }
    }

    /** The header line for a new journal. */
    static String header(Direction direction) {
        return JSON.createObjectNode().put("journal", FORMAT).put("version", VERSION)
                .put("direction", direction.label()).toString();
    }

    /** The line of one experiment. */
    static String line(Experiment experiment) {
        return json(experiment).toString();
    }

    /** One experiment as the journal writes it: every field, null where unknown (reports show the same). */
    public static ObjectNode json(Experiment experiment) {
        Feedback feedback = experiment.feedback();
        ObjectNode node = JSON.createObjectNode().put("id", experiment.id());
        if (experiment.parent().isPresent()) {
            node.put("parent", experiment.parent().getAsInt());
        } else {
            node.putNull("parent");
        }
        node.put("accepted", feedback.accepted()).put("score", feedback.score())
                .put("outcome", feedback.outcome().name()).put("exitCode", feedback.exitCode())
                .put("startedAt", feedback.startedAt() == null ? null : feedback.startedAt().toString())
                .put("endedAt", feedback.endedAt() == null ? null : feedback.endedAt().toString())
                .put("artifacts", feedback.artifacts()).put("note", feedback.note());
        return node;
    }

    /**
     * What a journal's bytes hold.
     *
     * @param dag the DAG, or null when not even the header line is complete
     * @param validLength the bytes up to the end of the last line read
     * @param missingLineFeed whether that last line lacks its line feed (complete but cut just before it)
     */
    private record Parsed(ExperimentDag dag, List<String> warnings, int validLength, boolean missingLineFeed) {}

    private static Parsed parse(Path file, byte[] content) throws JournalException {
        List<String> warnings = new ArrayList<>();
        ExperimentDag dag = null;
        int start = 0;
        int number = 0;
        boolean missingLineFeed = false;
        while (start < content.length) {
            number++;
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            boolean last = end == content.length;
            JsonNode node;
            try {
                node = object(file, number, content, start, end);
            } catch (JournalException e) {
                if (!last) {
                    throw e;
                }
                // Only a line cut short can fail to parse without its line feed: any shorter prefix of an object's
                // line is no object. A whole object that breaks the rules is an error like any other line.
                warnings.add(file + ":" + number + ": ignored an incomplete last line (" + (end - start)
                        + " bytes without a line feed: a crash while it was written?)");
                return new Parsed(dag, warnings, start, false);
            }
            if (dag == null) {
                dag = new ExperimentDag(header(file, number, node));
            } else {
                experiment(file, number, node, dag);
            }
            missingLineFeed = last;
            start = last ? end : end + 1;
        }
        if (dag == null) {
            throw new JournalException(file, 1, "empty: a journal starts with a header line");
        }
        return new Parsed(dag, warnings, content.length, missingLineFeed);
    }

    private static JsonNode object(Path file, int number, byte[] content, int start, int end) throws JournalException {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content, start, end - start));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new JournalException(file, number, "not UTF-8 text");
        }
        if (text.isBlank()) {
            throw new JournalException(file, number, "an empty line (every line is one JSON object)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new JournalException(file, number, "not a JSON object: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new JournalException(file, number, "not a JSON object");
        }
        return node;
    }

    private static Direction header(Path file, int number, JsonNode node) throws JournalException {
        unknownFields(file, number, node, HEADER_FIELDS, "header");
        if (!FORMAT.equals(node.path("journal").textValue())) {
            throw new JournalException(file, number, "not a maze-explore journal (its first line must be a header "
                    + "{\"journal\":\"" + FORMAT + "\",\"version\":" + VERSION + ",\"direction\":...})");
        }
        JsonNode version = node.path("version");
        if (!version.isInt() || version.intValue() < 1) {
            throw new JournalException(file, number, "header: version must be a whole number from 1");
        }
        if (version.intValue() > VERSION) {
            throw new JournalException(file, number, "written in format version " + version.intValue()
                    + " by a newer Maze; this one reads version " + VERSION);
        }
        try {
            return Direction.of(node.path("direction").asText(""));
        } catch (IllegalArgumentException e) {
            throw new JournalException(file, number, "header: " + e.getMessage());
        }
    }

    private static void experiment(Path file, int number, JsonNode node, ExperimentDag dag) throws JournalException {
        unknownFields(file, number, node, EXPERIMENT_FIELDS, "experiment");
        int id = whole(file, number, node, "id", false);
        if (id != dag.size()) {
            throw new JournalException(file, number, "id " + id + " out of order: experiment " + dag.size()
                    + " comes next (ids count the lines after the header from 0)");
        }
        if (!node.has("parent")) {
            throw new JournalException(file, number, "missing field 'parent' (null for a trace's root)");
        }
        Integer parent = node.get("parent").isNull() ? null : whole(file, number, node, "parent", false);
        if (parent != null && parent >= id) {
            throw new JournalException(file, number, "parent " + parent + " is not an experiment committed before "
                    + id);
        }
        JsonNode accepted = node.path("accepted");
        if (!accepted.isBoolean()) {
            throw new JournalException(file, number, "accepted must be true or false");
        }
        JsonNode score = node.path("score");
        if (!score.isMissingNode() && !score.isNull() && !score.isNumber()) {
            throw new JournalException(file, number, "score must be a number or null");
        }
        try {
            Feedback feedback = new Feedback(accepted.booleanValue(), score.isNumber() ? score.doubleValue() : null,
                    Outcome.of(node.path("outcome").asText("")),
                    node.hasNonNull("exitCode") ? whole(file, number, node, "exitCode", true) : null,
                    instant(file, number, node, "startedAt"), instant(file, number, node, "endedAt"),
                    text(file, number, node, "artifacts"), text(file, number, node, "note"));
            dag.add(parent == null ? OptionalInt.empty() : OptionalInt.of(parent), feedback);
        } catch (IllegalArgumentException e) {
            throw new JournalException(file, number, "experiment " + id + ": " + e.getMessage());
        }
    }

    private static void unknownFields(Path file, int number, JsonNode node, List<String> known, String what)
            throws JournalException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new JournalException(file, number, what + ": unknown field '" + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private static int whole(Path file, int number, JsonNode node, String field, boolean negative)
            throws JournalException {
        JsonNode value = node.path(field);
        if (!value.isInt() || !negative && value.intValue() < 0) {
            throw new JournalException(file, number, field + " must be a whole number" + (negative ? "" : " from 0"));
        }
        return value.intValue();
    }

    private static Instant instant(Path file, int number, JsonNode node, String field) throws JournalException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeException e) {
            throw new JournalException(file, number, field + " must be an ISO-8601 instant such as "
                    + "2025-01-31T12:00:00Z, not '" + value.asText() + "'");
        }
    }

    private static String text(Path file, int number, JsonNode node, String field) throws JournalException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new JournalException(file, number, field + " must be a string or null");
        }
        return value.textValue();
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                throw new IOException("the file shrank while it was read");
            }
        }
        return buffer.array();
    }

    private static void write(FileChannel channel, long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Makes a new file's directory entry durable too (where the platform allows opening a directory). */
    private static void forceDirectory(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null || System.getProperty("os.name", "").startsWith("Windows")) {
            return; // Windows cannot open a directory as a channel; NTFS journals its metadata
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
