package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyModelTest {

    @Test
    void theFormulasOfTheReadmeInNanoseconds() {
        LatencyModel model = new LatencyModel(0.2, 25, 0.1, 50, 1);
        assertThat(model.slowdown(1)).isEqualTo(1.0);
        assertThat(model.slowdown(5)).isEqualTo(1.4);
        assertThat(model.prefillNanos(1000, 1)).as("0.2 ms x 1000 tokens").isEqualTo(200_000_000L);
        assertThat(model.prefillNanos(1000, 3)).as("x 1.2 with three in the batch").isEqualTo(240_000_000L);
        assertThat(model.decodeStepNanos(8)).as("25 ms x 1.7").isEqualTo(42_500_000L);
        assertThat(model.transcriptionNanos(10, 1)).as("50 ms x 10 s").isEqualTo(500_000_000L);
        assertThat(model.loadNanos(30)).isEqualTo(30_000_000_000L);
        LatencyModel fast = new LatencyModel(0.2, 25, 0.1, 50, 0.01);
        assertThat(fast.decodeStepNanos(1)).as("time scale 0.01").isEqualTo(250_000L);
        assertThat(fast.loadNanos(30)).isEqualTo(300_000_000L);
    }

    @Test
    void everyConfigurationValueIsCheckedNamingItsFlag() {
        FakeLlmConfig.Builder valid = FakeLlmConfig.builder().models("a");
        assertThat(valid.build().port()).isZero();
        assertThatThrownBy(() -> FakeLlmConfig.builder().build()).hasMessage("--models: name at least one model");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a", "a").build()).hasMessageContaining("twice");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a b").build()).hasMessageStartingWith("--models: 'a b'");
        assertThatThrownBy(() -> valid.maxConcurrency(0).build()).hasMessage("--max-concurrency: must be at least 1, not 0");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a").timeScale(-1).build())
                .hasMessage("--time-scale: must be a finite number >= 0, not -1.0");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a").decodeMillisPerToken(Double.NaN).build())
                .hasMessageStartingWith("--decode-ms-per-token:");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a").port(70_000).build()).hasMessageStartingWith("--port:");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a").maxResident(0).build())
                .hasMessageStartingWith("--max-resident:");
        assertThatThrownBy(() -> FakeLlmConfig.builder().models("a").contextTokens(1).build())
                .hasMessageStartingWith("--context-tokens:");
    }

    @Test
    void aPortInUseIsAnErrorThatSaysSo() {
        try (FakeLlmServer first = FakeLlmServer.start(FakeLlmConfig.builder().models("a").build())) {
            assertThatThrownBy(() -> FakeLlmServer.start(FakeLlmConfig.builder().models("a").port(first.port()).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.port());
        }
    }
}
