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
 * Reads one JSON or YAML document into a tree for the format readers (workflows, workloads, configuration, tool
 * types): strict about repeated keys and about content after the document, with line and column in every syntax error.
 *
 * <p>Two things no Maze file may hold, refused here once for every format:
 * <ul>
 *   <li>YAML aliases ({@code *name}, and so merge keys {@code <<: *name}). The parser hands an alias over as the
 *       bare name, so a reader would see the string {@code "name"} where the user meant the anchored value; and a file
 *       of aliases nested in aliases can stand for billions of values (the "billion laughs"), which a scheduler reading
 *       files it did not write must not expand. An anchor alone ({@code &name}) is harmless and accepted.
 *   <li>Numbers that are not finite: JSON's {@code NaN}, {@code Infinity}, {@code -Infinity} and YAML's {@code .nan},
 *       {@code .inf}, {@code -.inf}. No field of any Maze format means anything by them, so each is one error naming
 *       the field's path, the same for both formats. (A number written too large to hold, such as {@code 1e400}, is
 *       left to the format readers, which say so for the field.)
 * </ul>
 */
public final class DocumentReader {

    /** Default of the largest workflow or workload file Maze reads, in MB (10^6 bytes). */
    public static final long DEFAULT_MAX_FILE_MB = 8;
    /**
     * The largest file Maze reads, in bytes: {@code $MAZE_MAX_FILE_MB} (or the system property {@code maze.maxFileMb})
     * MB, default {@value #DEFAULT_MAX_FILE_MB}. Checked before parsing: a YAML parser can take minutes on a large file.
     */
    public static final long MAX_FILE_BYTES = maxFileBytes();

    // NaN and Infinity are parsed so that they can be refused with the field's name (see Guard), not as a syntax error.
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
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
        JsonNode root = readOrNull(text, format, source, moreContent);
        if (root == null) {
            throw problem(source, "empty document; " + empty);
        }
        return root;
    }

    /**
     * The document in {@code text}, or null when it holds none (empty, only comments, or {@code null}): for files
     * where empty means "nothing to configure".
     *
     * @param moreContent what to tell a user whose file holds more than one document
     * @throws ValidationException naming {@code source}, with line and column for syntax errors
     */
    public static JsonNode readOrNull(String text, Format format, String source, String moreContent)
            throws ValidationException {
        ObjectMapper mapper = format == Format.YAML ? YAML : JSON;
        JsonNode root;
        try (JsonParser parser = new Guard(mapper.createParser(text))) {
            root = mapper.readTree(parser);
            // readTree stops after the first value: without this, "{...} {...}" or a second YAML document
            // ("---") would be dropped without a word.
            if (root != null && parser.nextToken() != null) {
                throw problem(source, "malformed " + format + at(parser.currentTokenLocation()) + ": " + moreContent);
            }
        } catch (NonFiniteNumber e) {
            throw new ValidationException(List.of(new ValidationError(source, null, null, e.field,
                    "must be a finite number, found " + e.found + " (" + at(e.getLocation()).strip()
                            + "); no Maze field takes NaN or an infinity")));
        } catch (JacksonException e) {
            throw problem(source, "malformed " + format + at(e.getLocation()) + ": " + readable(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String does no I/O
        }
        return root == null || root.isMissingNode() || root.isNull() ? null : root;
    }

    /** YAML's spellings of NaN and the infinities (YAML 1.1 and 1.2 core schema), and JSON's with Jackson's. */
    private static final java.util.regex.Pattern NON_FINITE = java.util.regex.Pattern.compile(
            "[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|[-+]?(?:Infinity|INF)|NaN");

    /**
     * The parser every document is read through: refuses aliases and non-finite numbers as they are met, so that the
     * error has the place (and, for a number, the field's path) and nothing of the document is built beyond it.
     */
    private static final class Guard extends com.fasterxml.jackson.core.util.JsonParserDelegate {

        Guard(JsonParser parser) {
            super(parser);
        }

        @Override
        public com.fasterxml.jackson.core.JsonToken nextToken() throws IOException {
            com.fasterxml.jackson.core.JsonToken token = super.nextToken();
            if (delegate instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml && yaml.isCurrentAlias()) {
                throw new com.fasterxml.jackson.core.JsonParseException(this, "YAML aliases (*" + getText()
                        + ") are not supported; write the value out in full. Maze refuses aliases: a reader would "
                        + "otherwise see the alias's name instead of its value, and nested aliases can stand for "
                        + "billions of values", currentTokenLocation());
            }
            if (token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT
                    && NON_FINITE.matcher(getText()).matches()) {
                throw new NonFiniteNumber(this, path(getParsingContext()), getText());
            }
            return token;
        }

        @Override
        public String nextFieldName() throws IOException {
            // JsonParserDelegate hands this to the wrapped parser, which would step past the checks above.
            return nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME ? currentName() : null;
        }

        @Override
        public com.fasterxml.jackson.core.JsonToken nextValue() throws IOException {
            com.fasterxml.jackson.core.JsonToken token = nextToken();
            return token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME ? nextToken() : token;
        }
    }

    /** {@code tasks[0].timeoutSeconds}: where the parser stands, as the format readers name fields. */
    private static String path(com.fasterxml.jackson.core.JsonStreamContext context) {
        java.util.ArrayDeque<String> steps = new java.util.ArrayDeque<>();
        for (var step = context; step != null && !step.inRoot(); step = step.getParent()) {
            if (step.inArray()) {
                steps.push("[" + step.getCurrentIndex() + "]");
            } else if (step.getCurrentName() != null) {
                steps.push("." + step.getCurrentName());
            }
        }
        String path = String.join("", steps);
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? null : path;
    }

    /** A NaN or an infinity where the parser stands; {@link #read} makes it an error naming the field. */
    private static final class NonFiniteNumber extends com.fasterxml.jackson.core.JsonParseException {
        final String field;
        final String found;

        NonFiniteNumber(JsonParser parser, String field, String found) {
            super(parser, "not a finite number: " + found, parser.currentTokenLocation());
            this.field = field;
            this.found = found;
        }
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
