package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.maze.core.exec.JavaExecutor;
import dev.maze.core.exec.JavaTask;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/workflow-format.md honest: every example marked {@code <!-- checked: ... -->} there is parsed and
 * validated here, the complete YAML and JSON examples must equal the Java builder example, and the listed
 * errors of the "many mistakes" example must be the ones the validator reports.
 */
class WorkflowFormatDocTest {

    private static final Pattern CHECKED_BLOCK =
            Pattern.compile("<!-- checked: ([^>]*?) -->\\s*\\n```(yaml|json)\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern ERROR_EXAMPLE = Pattern.compile(
            "Here is a file with many mistakes.*?```yaml\\n(.*?)\\n```\\s*\\n```\\n(.*?)\\n```", Pattern.DOTALL);

    /** The word-count function of the doc's java example. */
    private static final JavaTask WORD_COUNT = new JavaTask() {
        @Override
        public String name() {
            return "word-count";
        }

        @Override
        public JsonNode run(JsonNode inputs) {
            return JsonNodeFactory.instance.objectNode().put("words", inputs.path("text").asText().split("\\s+").length);
        }
    };

    private final WorkflowValidator validator = new WorkflowValidator(kinds(), List.of(
            NodeSpec.of("gpu-1", 8, 64, 2, 80), NodeSpec.of("cpu-1", 4, 16, 0, 0)));

    private static Map<String, TaskExecutor> kinds() {
        Map<String, TaskExecutor> kinds = new java.util.LinkedHashMap<>(TaskExecutors.defaults());
        kinds.put("java", new JavaExecutor(List.of(WORD_COUNT)));
        return kinds;
    }

    private static String doc() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/workflow-format.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/workflow-format.md above the working directory").isNotNull();
        return Files.readString(dir.resolve("docs/workflow-format.md"));
    }

    private record Block(String marker, Format format, String text) {}

    private static List<Block> checkedBlocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = CHECKED_BLOCK.matcher(doc());
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Format.valueOf(matcher.group(2).toUpperCase()), matcher.group(3)));
        }
        return blocks;
    }

    @Test
    void everyCheckedExampleParsesAndValidates() throws Exception {
        List<Block> blocks = checkedBlocks();
        assertThat(blocks).as("checked examples found in the doc").hasSizeGreaterThanOrEqualTo(4);

        for (Block block : blocks) {
            List<WorkflowSpec> workflows = WorkflowParser.parse(block.text(), block.format(), "doc example");
            assertThat(validator.validate(workflows)).as("errors in the example:\n%s", block.text()).isEmpty();
        }
    }

    @Test
    void theCompleteExamplesInYamlJsonAndJavaAreTheSameWorkflow() throws Exception {
        List<Block> complete = checkedBlocks().stream().filter(b -> b.marker().contains("same as the Java example")).toList();
        assertThat(complete).extracting(Block::format).containsExactly(Format.YAML, Format.JSON);

        for (Block block : complete) {
            assertThat(WorkflowParser.parse(block.text(), block.format(), null)).containsExactly(javaExample());
        }
    }

    @Test
    void theManyMistakesExampleReportsExactlyTheListedErrors() throws Exception {
        Matcher matcher = ERROR_EXAMPLE.matcher(doc());
        assertThat(matcher.find()).as("the many-mistakes example and its error listing").isTrue();
        List<String> listed = matcher.group(2).lines().toList();

        List<String> reported = validator.validate(WorkflowParser.parse(matcher.group(1), Format.YAML, "wf.yaml"))
                .stream().map(ValidationError::toString).toList();

        assertThat(reported).hasSameSizeAs(listed);
        for (int i = 0; i < listed.size(); i++) {
            // "…" in the doc stands for a part left out for brevity.
            String pattern = Pattern.quote(listed.get(i)).replace("…", "\\E.*\\Q");
            assertThat(reported.get(i)).matches(pattern);
        }
    }

    /** A copy of the Java example in section 9.3 of the doc. */
    private static WorkflowSpec javaExample() {
        return WorkflowBuilder.workflow("rag-answer")
                .id("rag-42")
                .priorityClass(PriorityClass.HIGH)
                .deadlineSeconds(600)
                .task("search", t -> t.kind("process").toolType("web_search")
                        .resources(new Resources(0.5, 1, 0, 0, null))
                        .input("command", List.of("python3", "tools/search.py", "--top-k", "5"))
                        .input("env", Map.of("SEARCH_REGION", "eu"))
                        .input("stdin", "What limits GPU utilisation in agent workflows?")
                        .timeoutSeconds(30)
                        .retries(new RetryPolicy(3, 2, 2, 20))
                        .feature("query_tokens", 11))
                .task("rerank", t -> t.toolType("llm_rerank").dependsOn("search")
                        .resources(new Resources(1, 0, 1, 8, "bge-reranker"))
                        .input("duration", Map.of("distribution", "lognormal", "mean", 1.5, "p95", 3))
                        .input("output", Map.of("docs", List.of(Map.of("title", "Paper A"), Map.of("title", "Paper B")))))
                .task("answer", t -> t.toolType("llm_process").dependsOn("rerank").gpu("qwen3-32b")
                        .input("seconds", 12)
                        .input("prompt", """
                                Sources:
                                {{#tasks.rerank.output.docs}}- {{title}}
                                {{/tasks.rerank.output.docs}}
                                Raw search results: {{tasks.search.output.text}}
                                """)
                        .retries(RetryPolicy.of(1))
                        .predictedSeconds(12))
                .task("count-words", t -> t.kind("java").dependsOn("answer", "search")
                        .resources(new Resources(0.25, 0, 0, 0, null))
                        .input("function", "word-count")
                        .input("text", "{{tasks.answer.output.text}}"))
                .build();
    }
}
