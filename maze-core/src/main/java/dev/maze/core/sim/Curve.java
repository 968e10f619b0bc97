package dev.maze.core.sim;

import java.util.List;

/**
 * Points of a chart line: {@code x.get(i)} against {@code y.get(i)}. Units are those of the method that made it.
 */
public record Curve(List<Double> x, List<Double> y) {

    public Curve {
        x = List.copyOf(x);
        y = List.copyOf(y);
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("x has " + x.size() + " points, y " + y.size());
        }
    }

    public int size() {
        return x.size();
    }
}
