package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The duration distributions: sampled statistics match what the user wrote, and bad specs are explained. */
class DurationsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SAMPLES = 200_000;

    private static JsonNode spec(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** SAMPLES draws with a fixed seed, sorted. */
    private static double[] draw(String json) {
        JsonNode spec = spec(json);
        assertThat(Durations.problems(spec, "d")).as(json).isEmpty();
        SplittableRandom random = new SplittableRandom(42);
        double[] samples = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = Durations.sample(spec, random);
        }
        Arrays.sort(samples);
        return samples;
    }

    private static double mean(double[] samples) {
        return Arrays.stream(samples).average().orElseThrow();
    }

    private static double p95(double[] sorted) {
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    @Test
    void constantIsAlwaysTheGivenValue() {
        double[] samples = draw("{\"distribution\": \"constant\", \"seconds\": 3}");
        assertThat(samples[0]).isEqualTo(3.0);
        assertThat(samples[SAMPLES - 1]).isEqualTo(3.0);
        assertThat(draw("{\"distribution\": \"constant\", \"seconds\": 0}")[SAMPLES - 1]).isZero();
    }

    @Test
    void uniformStaysInItsRangeWithTheRightMeanAndP95() {
        double[] samples = draw("{\"distribution\": \"uniform\", \"min\": 1, \"max\": 5}");
        assertThat(samples[0]).isGreaterThanOrEqualTo(1.0);
        assertThat(samples[SAMPLES - 1]).isLessThanOrEqualTo(5.0);
        assertThat(mean(samples)).isCloseTo(3.0, within(0.02));
        assertThat(p95(samples)).isCloseTo(4.8, within(0.02));
        assertThat(draw("{\"distribution\": \"uniform\", \"min\": 2, \"max\": 2}")[SAMPLES - 1]).isEqualTo(2.0);
    }

    @Test
    void exponentialHasTheGivenMeanAndItsP95() {
        double[] samples = draw("{\"distribution\": \"exponential\", \"mean\": 2}");
        assertThat(samples[0]).isGreaterThanOrEqualTo(0.0);
        assertThat(mean(samples)).isCloseTo(2.0, within(0.02));
        assertThat(p95(samples)).isCloseTo(-2 * Math.log(0.05), within(0.06)); // 5.99 s
    }

    @Test
    void lognormalMatchesBothTheMeanAndTheP95ItWasFittedTo() {
        double[] samples = draw("{\"distribution\": \"lognormal\", \"mean\": 120, \"p95\": 165}");
        assertThat(samples[0]).isPositive();
        assertThat(mean(samples)).isCloseTo(120.0, within(0.6));
        assertThat(p95(samples)).isCloseTo(165.0, within(1.5));
        // A wide one, p95 = 3 x mean, is skewed: the median lies well below the mean.
        double[] wide = draw("{\"distribution\": \"lognormal\", \"mean\": 10, \"p95\": 30}");
        assertThat(mean(wide)).isCloseTo(10.0, within(0.15));
        assertThat(p95(wide)).isCloseTo(30.0, within(0.6));
        assertThat(wide[SAMPLES / 2]).isLessThan(8.0);
    }

    @Test
    void theSameSeedGivesTheSameDurations() {
        JsonNode spec = spec("{\"distribution\": \"lognormal\", \"mean\": 120, \"p95\": 165}");
        SplittableRandom first = new SplittableRandom(7);
        SplittableRandom second = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            assertThat(Durations.sample(spec, first)).isEqualTo(Durations.sample(spec, second));
        }
        assertThat(Durations.sample(spec, new SplittableRandom(8))).isNotEqualTo(Durations.sample(spec, new SplittableRandom(7)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "not an object"                                          | d: expected an object such as {"distribution": "uniform", "min": 1, "max": 3}
            {}                                                       | d.distribution: expected constant, uniform, exponential, lognormal or empirical, found ''
            {"distribution": "gamma"}                                | d.distribution: expected constant, uniform, exponential, lognormal or empirical, found 'gamma'
            {"distribution": "constant"}                             | d.seconds: expected a non-negative number of seconds
            {"distribution": "constant", "seconds": -1}              | d.seconds: expected a non-negative number of seconds
            {"distribution": "constant", "seconds": "3"}             | d.seconds: expected a non-negative number of seconds
            {"distribution": "uniform", "min": 5, "max": 1}          | d.min: must not exceed max
            {"distribution": "uniform", "min": 1}                    | d.max: expected a non-negative number of seconds
            {"distribution": "exponential", "mean": 0}               | d.mean: expected a positive number of seconds
            {"distribution": "lognormal", "mean": 10}                | d.p95: expected a positive number of seconds
            {"distribution": "lognormal", "mean": 10, "p95": 9}      | d.p95: must lie between mean and 3.87 x mean for a lognormal
            {"distribution": "lognormal", "mean": 10, "p95": 10}     | d.p95: must lie between mean and 3.87 x mean for a lognormal
            {"distribution": "lognormal", "mean": 10, "p95": 40}     | d.p95: must lie between mean and 3.87 x mean for a lognormal
            """)
    void problemsNameTheFieldAndSayWhatIsExpected(String json, String problem) {
        assertThat(Durations.problems(spec(json), "d")).containsExactly(problem);
    }

    @Test
    void validSpecsHaveNoProblems() {
        for (String json : new String[] {
                "{\"distribution\": \"constant\", \"seconds\": 0}",
                "{\"distribution\": \"uniform\", \"min\": 0, \"max\": 0}",
                "{\"distribution\": \"exponential\", \"mean\": 0.5}",
                "{\"distribution\": \"lognormal\", \"mean\": 10, \"p95\": 38}"}) {
            assertThat(Durations.problems(spec(json), "d")).as(json).isEmpty();
        }
    }
}
