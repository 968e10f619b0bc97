package dev.maze.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** Validates JSON against a schema with networknt's validator (draft 2020-12, formats asserted): an independent judge. */
final class SchemaCheck {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private SchemaCheck() {}

    /** What is wrong with {@code value}; empty when it is valid. */
    static List<String> problems(JsonNode schema, JsonNode value) {
        return REGISTRY.getSchema(schema)
                .validate(value, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }
}
