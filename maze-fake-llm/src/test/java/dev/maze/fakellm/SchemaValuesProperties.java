package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Invariant: the value generated for a (satisfiable) JSON schema is valid against it, as an independent validator judges. */
class SchemaValuesProperties {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aGeneratedValueIsValidAgainstItsSchema(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ObjectNode schema = schema(random, 0);
        ObjectNode defs = schema.putObject("$defs");
        defs.set("thing", schema(random, 2));
        if (!schema.has("properties") && schema.path("type").asText().equals("object")) {
            schema.putObject("properties");
        }
        if (schema.has("properties")) {
            ((ObjectNode) schema.get("properties")).putObject("ref").put("$ref", "#/$defs/thing");
        }
        JsonNode value = SchemaValues.valueOf(schema, new SplittableRandom(seed * 31));
        assertThat(SchemaCheck.problems(schema, value)).as("schema %s%nvalue %s", schema, value).isEmpty();
    }

    /** A random satisfiable schema: objects and arrays nest up to depth 3. */
    static ObjectNode schema(SplittableRandom random, int depth) {
        ObjectNode schema = Http.JSON.createObjectNode();
        int kind = random.nextInt(depth >= 3 ? 8 : 11);
        switch (kind) {
            case 0 -> {
                schema.put("type", "string");
                if (random.nextBoolean()) {
                    int min = random.nextInt(30);
                    schema.put("minLength", min).put("maxLength", min + 1 + random.nextInt(20));
                }
            }
            case 1 -> schema.put("type", "string").put("format",
                    new String[] {"date-time", "date", "time", "email", "uri", "uuid"}[random.nextInt(6)]);
            case 2 -> {
                schema.put("type", "integer");
                long min = random.nextInt(200) - 100;
                int step = 1 + random.nextInt(5);
                schema.put("minimum", min).put("maximum", min + step + random.nextInt(100));
                if (random.nextBoolean()) {
                    schema.put("multipleOf", step);
                }
            }
            case 3 -> {
                schema.put("type", "number");
                double min = random.nextInt(2000) / 100.0 - 10;
                schema.put("minimum", min).put("maximum", min + 0.5 + random.nextInt(50));
                if (random.nextBoolean()) {
                    schema.put("multipleOf", new double[] {0.25, 0.5, 2}[random.nextInt(3)]);
                }
            }
            case 4 -> schema.put("type", "boolean");
            case 5 -> schema.putArray("type").add("null").add(random.nextBoolean() ? "string" : "integer");
            case 6 -> {
                ArrayNode values = schema.putArray("enum");
                values.add("red").add(3).add(true);
            }
            case 7 -> schema.put("const", "fixed");
            case 8, 9 -> {
                schema.put("type", "object").put("additionalProperties", false);
                ObjectNode properties = schema.putObject("properties");
                ArrayNode required = Http.JSON.createArrayNode();
                int count = 1 + random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    properties.set("p" + i, schema(random, depth + 1));
                    if (random.nextBoolean()) {
                        required.add("p" + i);
                    }
                }
                if (!required.isEmpty()) {
                    schema.set("required", required);
                }
            }
            default -> {
                if (random.nextBoolean()) {
                    schema.put("type", "array");
                    int min = random.nextInt(3);
                    schema.put("minItems", min).put("maxItems", min + random.nextInt(3));
                    schema.set("items", schema(random, depth + 1));
                } else {
                    schema.putArray("anyOf").add(schema(random, depth + 1)).add(schema(random, depth + 1));
                }
            }
        }
        return schema;
    }
}
