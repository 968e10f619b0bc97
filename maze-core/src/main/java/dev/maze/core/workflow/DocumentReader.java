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

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private DocumentReader() {}

    /**
     * The text of {@code file}.
     *
     * @throws ValidationException naming the file when it is missing or unreadable
     */
    public static String readFile(Path file) throws ValidationException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw problem(file.toString(), "file not found; check the path");
        } catch (IOException e) {
            throw problem(file.toString(), "cannot read file: " + e.getMessage());
        }
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
            throw problem(source, "malformed " + format + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String does no I/O
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw problem(source, "empty document; " + empty);
        }
        return root;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** One problem with a whole document (no workflow, task or field to name). */
    public static ValidationException problem(String source, String message) {
        return new ValidationException(List.of(new ValidationError(source, null, null, null, message)));
    }
}
