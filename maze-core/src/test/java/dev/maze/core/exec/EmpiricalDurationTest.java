package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code empirical} distribution replays measured samples, each equally likely, and explains bad lists. */
class EmpiricalDurationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode spec(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Test
    void drawsOnlyTheGivenSamplesEachAboutEquallyOften() {
        JsonNode spec = spec("{\"distribution\": \"empirical\", \"samples\": [1.5, 7, 30, 0]}");
        assertThat(Durations.problems(spec, "d")).isEmpty();
        SplittableRandom random = new SplittableRandom(42);
        Map<Double, Integer> counts = new TreeMap<>();
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(Durations.sample(spec, random), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(0.0, 1.5, 7.0, 30.0);
        // Each count is binomial(40000, 1/4): standard deviation about 87, so 10,000 +- 600 is > 6 sigma.
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(9_400, 10_600));
    }

    @Test
    void repeatedSamplesWeighTheirValueAndOneSampleIsAConstant() {
        JsonNode skewed = spec("{\"distribution\": \"empirical\", \"samples\": [2, 2, 2, 10]}");
        SplittableRandom random = new SplittableRandom(7);
        int twos = 0;
        for (int i = 0; i < 40_000; i++) {
            if (Durations.sample(skewed, random) == 2.0) {
                twos++;
            }
        }
        assertThat(twos).isBetween(29_400, 30_600);
        JsonNode single = spec("{\"distribution\": \"empirical\", \"samples\": [4.25]}");
        assertThat(Durations.sample(single, new SplittableRandom(1))).isEqualTo(4.25);
    }

    @Test
    void sameSeedSameDraws() {
        JsonNode spec = spec("{\"distribution\": \"empirical\", \"samples\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}");
        SplittableRandom first = new SplittableRandom(99);
        SplittableRandom second = new SplittableRandom(99);
        for (int i = 0; i < 100; i++) {
            assertThat(Durations.sample(spec, first)).isEqualTo(Durations.sample(spec, second));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"distribution": "empirical"}                            | d.samples: expected a non-empty list of measured durations in seconds, such as [1.2, 3.4]
            {"distribution": "empirical", "samples": []}             | d.samples: expected a non-empty list of measured durations in seconds, such as [1.2, 3.4]
            {"distribution": "empirical", "samples": 3}              | d.samples: expected a non-empty list of measured durations in seconds, such as [1.2, 3.4]
            {"distribution": "empirical", "samples": [1, -2]}        | d.samples[1]: expected a non-negative number of seconds, found -2
            {"distribution": "empirical", "samples": ["3", 1]}       | d.samples[0]: expected a non-negative number of seconds, found "3"
            """)
    void badSampleListsAreExplained(String json, String problem) {
        assertThat(Durations.problems(spec(json), "d")).containsExactly(problem);
    }

    @Test
    void everyBadSampleIsReportedAtOnce() {
        assertThat(Durations.problems(spec("{\"distribution\": \"empirical\", \"samples\": [-1, 2, null]}"), "d"))
                .containsExactly(
                        "d.samples[0]: expected a non-negative number of seconds, found -1",
                        "d.samples[2]: expected a non-negative number of seconds, found null");
    }

    @Test
    void theOtherDistributionsDrawExactlyWhatTheyDrewBefore() {
        // Pinned draws (seed 42) of the distributions that existed before 'empirical': adding it must not move them,
        // or every seeded simulation result would change.
        assertThat(first("{\"distribution\": \"uniform\", \"min\": 1, \"max\": 5}")).isEqualTo(UNIFORM_SEED_42);
        assertThat(first("{\"distribution\": \"exponential\", \"mean\": 2}")).isEqualTo(EXPONENTIAL_SEED_42);
        assertThat(first("{\"distribution\": \"lognormal\", \"mean\": 120, \"p95\": 165}")).isEqualTo(LOGNORMAL_SEED_42);
    }

    private static final double UNIFORM_SEED_42 = 3.9662595150872932;
    private static final double EXPONENTIAL_SEED_42 = 2.7062211964880287;
    private static final double LOGNORMAL_SEED_42 = 140.9503791052676;

    private static double first(String json) {
        return Durations.sample(spec(json), new SplittableRandom(42));
    }
}
