package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.sim.Curve;
import dev.maze.core.sim.SimulationMetrics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pooled latency CDF of {@code simulate --out}: exact while small, bounded in memory and points when large. */
class PooledLatenciesTest {

    @Test
    void aFewRunsGiveTheExactCdfOfAllTheirWorkflows() {
        PooledLatencies pooled = new PooledLatencies();
        pooled.add(new double[] {30, 10});
        pooled.add(new double[] {20, 40});
        Curve cdf = pooled.cdf();
        assertThat(cdf.x()).containsExactly(10.0, 20.0, 30.0, 40.0);
        assertThat(cdf.y()).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(pooled.workflows()).isEqualTo(4);
    }

    @Test
    void manyLargeRunsKeepAtMostTheCapAndStayCloseToTheExactQuantiles() {
        PooledLatencies pooled = new PooledLatencies();
        SplittableRandom random = new SplittableRandom(7);
        int runs = 30;
        int perRun = 40_000; // 1.2 million workflows in all
        for (int run = 0; run < runs; run++) {
            double[] latencies = new double[perRun];
            for (int i = 0; i < perRun; i++) {
                latencies[i] = random.nextDouble() * 1000; // uniform on [0, 1000): the CDF at x is x / 1000
            }
            pooled.add(latencies);
        }
        Curve cdf = pooled.cdf();
        assertThat(pooled.workflows()).isEqualTo((long) runs * perRun);
        assertThat(cdf.size()).isLessThanOrEqualTo(SimulationMetrics.MAX_CURVE_POINTS);
        assertThat(cdf.y().get(cdf.size() - 1)).isCloseTo(1.0, within(1e-9));
        for (int i = 0; i < cdf.size(); i += 500) {
            assertThat(cdf.y().get(i)).isCloseTo(cdf.x().get(i) / 1000, within(0.005));
        }
        for (int i = 1; i < cdf.size(); i++) {
            assertThat(cdf.x().get(i)).isGreaterThanOrEqualTo(cdf.x().get(i - 1));
            assertThat(cdf.y().get(i)).isGreaterThanOrEqualTo(cdf.y().get(i - 1));
        }
    }
}
