package dev.maze.predict.model;

/** The one error every {@link Model#predict} raises, built off the hot path so the check costs a comparison. */
final class WrongRowLength {
    private WrongRowLength() {}

    static IllegalArgumentException of(Model model, double[] row) {
        return new IllegalArgumentException("row has " + row.length + " values but the " + model.kind()
                + " model expects " + model.features().size() + ": " + model.features());
    }
}
