package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> RESOURCE_FIELDS = List.of("cpu", "memoryGb", "gpus", "gpuMemoryGb", "model");
    private static final List<String> TASK_FIELDS = List.of("id", "kind", "toolType", "dependsOn", "resources", "inputs",
            "timeoutSeconds", "retries", "features", "predictedSeconds");

    @Test
    void typosAreMatchedIgnoringCase() {
        assertThat(Suggestions.nearest("dependson", TASK_FIELDS)).isEqualTo("dependsOn");
        assertThat(Suggestions.nearest("sumary", List.of("search", "summary", "answer"))).isEqualTo("summary");
        assertThat(Suggestions.didYouMean("proces", List.of("sim", "process", "java"))).isEqualTo(" (did you mean 'process'?)");
    }

    @Test
    void aFieldWrittenWithoutItsUnitSuggestsTheFieldWithIt() {
        assertThat(Suggestions.nearest("timeout", TASK_FIELDS)).isEqualTo("timeoutSeconds");
        assertThat(Suggestions.nearest("memory", RESOURCE_FIELDS)).isEqualTo("memoryGb");
        assertThat(Suggestions.nearest("priority", List.of("id", "name", "priorityClass", "deadline", "tasks")))
                .isEqualTo("priorityClass");
        assertThat(Suggestions.nearest("backoff", List.of("count", "backoffSeconds", "multiplier", "maxBackoffSeconds")))
                .isEqualTo("backoffSeconds");
    }

    @Test
    void anAmbiguousPrefixSuggestsNothing() {
        assertThat(Suggestions.nearest("search", List.of("search-web", "search-news"))).isNull();
    }

    @Test
    void aCandidateSharingNothingWithAShortWordIsNoSuggestion() {
        assertThat(Suggestions.didYouMean("c", List.of("a", "b"))).isEmpty();
        assertThat(Suggestions.nearest("xy", List.of("ab", "id"))).isNull();
        assertThat(Suggestions.nearest("colour", TASK_FIELDS)).isNull();
    }

    /** Set.of iterates in a different order on every JVM run; a suggestion must not depend on it. */
    @Test
    void tiesAreBrokenTheSameWayWhateverTheOrderOfCandidates() {
        for (List<String> order : permutations(RESOURCE_FIELDS)) {
            // "gpu" is one edit from both "cpu" and "gpus"; the one it is a prefix of wins.
            assertThat(Suggestions.nearest("gpu", order)).as("candidates in order %s", order).isEqualTo("gpus");
        }
        // Neither extends "bat": the alphabetically first of the equally close ones wins.
        assertThat(Suggestions.nearest("bat", List.of("cat", "bar"))).isEqualTo("bar");
        assertThat(Suggestions.nearest("bat", List.of("bar", "cat"))).isEqualTo("bar");
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<String>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String first = rest.remove(i);
            for (List<String> tail : permutations(rest)) {
                List<String> permutation = new ArrayList<>();
                permutation.add(first);
                permutation.addAll(tail);
                result.add(permutation);
            }
        }
        return result;
    }
}
