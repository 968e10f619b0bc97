package dev.maze.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.workflow.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolTypesTest {

    @Test
    void mazesFourToolTypesAreBuiltInWithTheirFeatureSets() {
        ToolTypes types = ToolTypes.builtIn();
        assertThat(types.names()).containsExactly("llm_process", "vlm_process", "llm_fuse2In1", "speech_process");
        assertThat(types.get("llm_process").features()).containsExactly("text_length", "token_count", "batch_size", "reason");
        assertThat(types.get("speech_process").features()).containsExactly("duration", "audio_entropy", "audio_energy");
        assertThat(types.get("vlm_process").features()).hasSize(13);
        assertThat(types.get("llm_fuse2In1").features()).hasSize(7);
    }

    @Test
    void aFileAddsToolTypesAndMapsNamesByExactNameGlobAndRegexInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tools.yaml");
        Files.writeString(file, """
                toolTypes:
                  ocr_page:
                    features: [image_area, text_block_count, batch_size]
                    sources: [{kind: image, input: page}]
                    defaults: {batch_size: 1}
                    aggregate: {image_area: max}
                mapping:
                  - {match: summarize, toolType: llm_process}
                  - {match: "ocr_*", toolType: ocr_page}
                  - {regex: "^(vlm|vision)_.*", toolType: vlm_process}
                """);
        ToolTypes types = ToolTypes.load(file);
        assertThat(types.get("ocr_page").sources()).singleElement().satisfies(s -> assertThat(s.input()).isEqualTo("page"));
        assertThat(types.resolve("summarize", "x").name()).isEqualTo("llm_process");
        assertThat(types.resolve("ocr_invoice", "x").name()).isEqualTo("ocr_page");
        assertThat(types.resolve("generic", "vision_caption").name()).as("by task id").isEqualTo("vlm_process");
        assertThat(types.resolve("speech_process", "ocr_x").name()).as("a known toolType wins").isEqualTo("speech_process");
        ToolType unmapped = types.resolve("web_search", "search");
        assertThat(unmapped.name()).isEqualTo("web_search");
        assertThat(unmapped.features()).isEmpty();
        assertThat(types.describeMapping()).containsExactly("match 'summarize' -> llm_process", "match 'ocr_*' -> ocr_page",
                "regex '^(vlm|vision)_.*' -> vlm_process");
    }

    @Test
    void everyProblemIsReportedWithTheFileToolTypeAndField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tools.yaml");
        Files.writeString(file, """
                toolTypes:
                  ocr_page:
                    features: [image_area, image_area]
                    sourcse: []
                    defaults: {batch: 1}
                  audio_tool:
                    features: [duration]
                    sources: [{kind: video, input: clip}]
                mapping:
                  - {match: "x*", toolType: ocr_pag}
                  - {regex: "([", toolType: llm_process}
                  - {toolType: llm_process}
                """);
        assertThatThrownBy(() -> ToolTypes.load(file)).isInstanceOf(ValidationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tool type 'ocr_page', field 'features': 'image_area' is listed twice")
                .hasMessageContaining("unknown field 'sourcse' (did you mean 'sources'?)")
                .hasMessageContaining("field 'defaults.batch': not one of its features")
                .hasMessageContaining("tool type 'audio_tool', sources[0], field 'kind': expected text, image or audio")
                .hasMessageContaining("mapping[0], field 'toolType': unknown tool type 'ocr_pag'")
                .hasMessageContaining("mapping[1], field 'regex': not a valid regular expression")
                .hasMessageContaining("mapping[2]: give exactly one of 'match'");
    }

    @Test
    void globsQuoteEverythingButStarAndQuestionMark() {
        assertThat("a.b-1".matches(ToolTypes.globToRegex("a.b-?"))).isTrue();
        assertThat("axb-1".matches(ToolTypes.globToRegex("a.b-?"))).isFalse();
        assertThat("llm_anything".matches(ToolTypes.globToRegex("llm_*"))).isTrue();
    }
}
