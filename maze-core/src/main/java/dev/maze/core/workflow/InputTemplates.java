package dev.maze.core.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mustache templates inside a task's {@code inputs} (JMustache, HTML escaping off, strict: a missing
 * value is an error). Every string value in the inputs tree is a template. The context offers
 * {@code tasks.<id>.output...} (a finished predecessor's output) and {@code workflow.id} / {@code workflow.name}.
 * A value that is an object or a list is written as JSON.
 */
public final class InputTemplates {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final String PARTIALS_UNSUPPORTED = "partials ({{> name}}) are not supported in inputs";

    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .escapeHTML(false)
            .withFormatter(InputTemplates::format)
            // There are no partials to load. JMustache's default loader throws UnsupportedOperationException,
            // which escapes render() (and stopped the engine loop); a checked exception is wrapped in a
            // MustacheException, which render() reports like any other unresolvable template.
            .withLoader(name -> {
                throw new FileNotFoundException(PARTIALS_UNSUPPORTED);
            });

    private InputTemplates() {}

    /** A variable found in a template, with the JSON path of the string it sits in (e.g. {@code inputs.prompt}). */
    public record Reference(String path, String variable) {

        /** The task id a {@code tasks.<id>...} variable points at, or null for other variables. */
        public String taskId() {
            if (!variable.startsWith("tasks.")) {
                return null;
            }
            int end = variable.indexOf('.', "tasks.".length());
            return end < 0 ? variable.substring("tasks.".length()) : variable.substring("tasks.".length(), end);
        }
    }

    /**
     * Every variable referenced by the templates in {@code inputs}.
     *
     * @throws IllegalArgumentException naming the path when a template does not compile or uses a partial
     */
    public static List<Reference> references(JsonNode inputs) {
        List<Reference> references = new ArrayList<>();
        walk(inputs, "inputs", (path, text) -> {
            if (!text.contains("{{")) {
                return;
            }
            Template template = compile(path, text);
            template.visit(new Mustache.Visitor() {
                @Override
                public void visitText(String t) {}

                @Override
                public void visitVariable(String name) {
                    references.add(new Reference(path, name));
                }

                @Override
                public boolean visitInclude(String name) {
                    throw new IllegalArgumentException(path + ": " + PARTIALS_UNSUPPORTED + ", found {{> " + name + "}}");
                }

                @Override
                public boolean visitSection(String name) {
                    references.add(new Reference(path, name));
                    return true;
                }

                @Override
                public boolean visitInvertedSection(String name) {
                    references.add(new Reference(path, name));
                    return true;
                }
            });
        });
        return references;
    }

    /**
     * Resolves every template in {@code inputs} against {@code context}; returns a new tree.
     *
     * @throws IllegalArgumentException naming the path and variable when a value is missing
     */
    public static JsonNode render(JsonNode inputs, Map<String, Object> context) {
        return renderNode(inputs, "inputs", context);
    }

    private static JsonNode renderNode(JsonNode node, String path, Map<String, Object> context) {
        if (node.isTextual()) {
            String text = node.asText();
            if (!text.contains("{{")) {
                return node;
            }
            try {
                return TextNode.valueOf(compile(path, text).execute(context));
            } catch (MustacheException e) {
                String cause = e.getCause() instanceof FileNotFoundException missing ? ": " + missing.getMessage() : "";
                throw new IllegalArgumentException(path + ": " + e.getMessage() + cause, e);
            }
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                copy.set(entry.getKey(), renderNode(entry.getValue(), path + "." + entry.getKey(), context));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(renderNode(node.get(i), path + "[" + i + "]", context));
            }
            return copy;
        }
        return node;
    }

    private static Template compile(String path, String text) {
        try {
            return COMPILER.compile(text);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(path + ": malformed template: " + e.getMessage(), e);
        }
    }

    private static String format(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    /** Converts a JSON output to plain maps and lists, the shape templates read. */
    public static Object toTemplateValue(JsonNode node) {
        return JSON.convertValue(node, Object.class);
    }

    private interface StringVisitor {
        void visit(String path, String text);
    }

    private static void walk(JsonNode node, String path, StringVisitor visitor) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            visitor.visit(path, node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                walk(entry.getValue(), path + "." + entry.getKey(), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", visitor);
            }
        }
    }

    /** Task ids referenced anywhere in {@code inputs}, in order of appearance. */
    public static Set<String> referencedTasks(JsonNode inputs) {
        Set<String> ids = new LinkedHashSet<>();
        for (Reference reference : references(inputs)) {
            if (reference.taskId() != null) {
                ids.add(reference.taskId());
            }
        }
        return ids;
    }
}
