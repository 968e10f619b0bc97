package dev.maze.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The random choices behind one case of a seeded property: everything a generator draws comes from here, so one
 * {@code long} reproduces the whole case ({@code Choices.of(seed)} draws the same values again).
 *
 * <p>A property runs over {@link #seeds(long, int) seeds}; the last four decimal digits of a seed are its trial.
 * Trial 0 takes every choice at its lowest (smallest range end, shortest list, first option), trial 1 every choice
 * at its highest, trials 2-9 take each choice at its lowest, its highest or at random, a third each; later trials
 * are uniform. So the edge cases (empty, zero, minimum and maximum sizes and values) are always among the cases.
 */
public final class Choices {

    /** Trials per block of seeds: a property of seed {@code s} runs seeds {@code s * TRIALS ...}. */
    static final int TRIALS = 10_000;

    private enum Bias { LOWEST, HIGHEST, EDGES, UNIFORM }

    private static final long[] EDGE_LONGS = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};

    private final SplittableRandom random;
    private final Bias bias;

    private Choices(long seed) {
        this.random = new SplittableRandom(seed);
        int trial = (int) Math.floorMod(seed, (long) TRIALS);
        this.bias = switch (trial) {
            case 0 -> Bias.LOWEST;
            case 1 -> Bias.HIGHEST;
            default -> trial < 10 ? Bias.EDGES : Bias.UNIFORM;
        };
    }

    /** The choices of the case with this seed. */
    public static Choices of(long seed) {
        return new Choices(seed);
    }

    /** The seeds of {@code tries} cases of a property: {@code seed * 10_000} and the {@code tries - 1} after it. */
    public static LongStream seeds(long seed, int tries) {
        if (tries < 1 || tries > TRIALS) {
            throw new IllegalArgumentException("tries must be in [1, " + TRIALS + "], got " + tries);
        }
        long first = Math.multiplyExact(seed, (long) TRIALS);
        return LongStream.range(first, first + tries);
    }

    /** An int in {@code [min, max]}, both included. */
    public int between(int min, int max) {
        return switch (edge()) {
            case LOWEST -> min;
            case HIGHEST -> max;
            default -> (int) random.nextLong(min, (long) max + 1);
        };
    }

    /** A double in {@code [min, max]}. */
    public double between(double min, double max) {
        return switch (edge()) {
            case LOWEST -> min;
            case HIGHEST -> max;
            default -> min + (max - min) * random.nextDouble();
        };
    }

    /** Any long; the edges are {@link Long#MIN_VALUE}, -1, 0, 1 and {@link Long#MAX_VALUE}. */
    public long anyLong() {
        return switch (edge()) {
            case LOWEST -> Long.MIN_VALUE;
            case HIGHEST -> Long.MAX_VALUE;
            default -> bias == Bias.EDGES && random.nextBoolean()
                    ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
        };
    }

    /** {@code false} is the lowest choice. */
    public boolean anyBoolean() {
        return between(0, 1) == 1;
    }

    /** One of the options; the first is the lowest choice, the last the highest. */
    @SafeVarargs
    public final <T> T oneOf(T... options) {
        return options[between(0, options.length - 1)];
    }

    /** One of the options; the first is the lowest choice, the last the highest. */
    public <T> T oneOf(List<T> options) {
        return options.get(between(0, options.size() - 1));
    }

    /** A list of {@code [minSize, maxSize]} elements, each drawn by {@code element}. */
    public <T> List<T> listOf(int minSize, int maxSize, Supplier<T> element) {
        int size = between(minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** {@code [minSize, maxSize]} distinct options (at most all of them), in the order drawn. */
    public <T> Set<T> subsetOf(List<T> options, int minSize, int maxSize) {
        List<T> left = new ArrayList<>(options);
        int size = Math.min(between(minSize, maxSize), left.size());
        Set<T> subset = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            subset.add(left.remove(between(0, left.size() - 1)));
        }
        return subset;
    }

    /** How this one choice is made: the case's bias, or for an edge-biased case, lowest, highest or random. */
    private Bias edge() {
        if (bias != Bias.EDGES) {
            return bias;
        }
        return switch (random.nextInt(3)) {
            case 0 -> Bias.LOWEST;
            case 1 -> Bias.HIGHEST;
            default -> Bias.UNIFORM;
        };
    }
}
