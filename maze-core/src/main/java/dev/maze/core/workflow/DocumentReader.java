package dev.maze.core.workflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads one JSON or YAML document into a tree for the format readers (workflows, workloads): strict about repeated
 * keys and about content after the document, with line and column in every syntax error.
 */
public final class DocumentReader {

    /** Default of the largest workflow or workload file Maze reads, in MB (10^6 bytes). */
    public static final long DEFAULT_MAX_FILE_MB = 8;
    /**
     * The largest file Maze reads, in bytes: {@code $MAZE_MAX_FILE_MB} (or the system property {@code maze.maxFileMb})
     * MB, default {@value #DEFAULT_MAX_FILE_MB}. Checked before parsing: a YAML parser can take minutes on a large file.
     */
    public static final long MAX_FILE_BYTES = maxFileBytes();

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML = YAMLMapper.builder(com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                    .loaderOptions(yamlLimits()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static long maxFileBytes() {
        String value = System.getProperty("maze.maxFileMb", System.getenv("MAZE_MAX_FILE_MB"));
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_FILE_MB * 1_000_000;
        }
        try {
            double mb = Double.parseDouble(value.trim());
            if (mb > 0 && mb <= 10_000) {
                return (long) (mb * 1_000_000);
            }
        } catch (NumberFormatException e) {
            // falls through to the default, with a warning
        }
        org.slf4j.LoggerFactory.getLogger(DocumentReader.class).warn(
                "MAZE_MAX_FILE_MB '{}' is not a number of MB from 0 to 10000; using {}", value, DEFAULT_MAX_FILE_MB);
        return DEFAULT_MAX_FILE_MB * 1_000_000;
    }

    /** The YAML parser's own limit follows Maze's (its default, 3 MiB, would refuse what Maze allows). */
    private static org.yaml.snakeyaml.LoaderOptions yamlLimits() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES));
        return options;
    }

    private DocumentReader() {}

    /**
     * The text of {@code file}.
     *
     * @throws ValidationException naming the file when it is missing or unreadable
     */
    public static String readFile(Path file) throws ValidationException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw problem(file.toString(), "file is " + megabytes(size) + " MB, more than the " + megabytes(MAX_FILE_BYTES)
                        + " MB Maze reads; set MAZE_MAX_FILE_MB to raise the limit (or split the file)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw problem(file.toString(), "file not found; check the path");
        } catch (IOException e) {
            throw problem(file.toString(), "cannot read file: " + e.getMessage());
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF
                ? 3 : 0; // a byte-order mark: accepted for JSON as for YAML
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer input = java.nio.ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return utf8.decode(input).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            long offset = firstBadByte(bytes, start);
            throw problem(file.toString(), "not UTF-8 text (the first byte that is not is at offset " + offset
                    + "); save the file as UTF-8");
        }
    }

    private static long firstBadByte(byte[] bytes, int start) {
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer input = java.nio.ByteBuffer.wrap(bytes, start, bytes.length - start);
        java.nio.CharBuffer output = java.nio.CharBuffer.allocate(bytes.length);
        utf8.decode(input, output, true);
        return input.position();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    /** YAML for {@code .yaml}/{@code .yml} files, JSON for anything else. */
    public static Format formatOf(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") ? Format.YAML : Format.JSON;
    }

    /**
     * The document in {@code text}.
     *
     * @param moreContent what to tell a user whose file holds more than one document
     * @param empty what to tell a user whose document is empty
     * @throws ValidationException naming {@code source}, with line and column for syntax errors
     */
    public static JsonNode read(String text, Format format, String source, String moreContent, String empty)
            throws ValidationException {
        ObjectMapper mapper = format == Format.YAML ? YAML : JSON;
        JsonNode root;
        try (JsonParser parser = mapper.createParser(text)) {
            root = mapper.readTree(parser);
            // readTree stops after the first value: without this, "{...} {...}" or a second YAML document
            // ("---") would be dropped without a word.
            if (root != null && parser.nextToken() != null) {
                throw problem(source, "malformed " + format + at(parser.currentTokenLocation()) + ": " + moreContent);
            }
        } catch (JacksonException e) {
            throw problem(source, "malformed " + format + at(e.getLocation()) + ": " + readable(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String does no I/O
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw problem(source, "empty document; " + empty);
        }
        return root;
    }

    /**
     * The parser's message without its internals: a location it quotes as {@code [Source: REDACTED (...); line: 1,
     * column: 24]} reads {@code line 1, column 24}.
     */
    static String readable(String message) {
        return message == null ? "" : message.replaceAll(
                "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** One problem with a whole document (no workflow, task or field to name). */
    public static ValidationException problem(String source, String message) {
        return new ValidationException(List.of(new ValidationError(source, null, null, null, message)));
    }
}
