package dev.maze.predict.model;

import java.util.List;

/**
 * A trained multilayer perceptron: the model behind {@link RegressorKind#MLP}. Hidden layers apply ReLU,
 * the single output unit is linear. The input standardisation and target scaling used in training are
 * folded into the first and last layers, so the model works on raw feature values and returns seconds.
 *
 * <p>{@link #predict} keeps its intermediate activations in per-thread scratch arrays, allocated on a
 * thread's first call; after that it allocates nothing.
 */
final class MultilayerPerceptron implements Model {
    private final List<String> features;
    private final Layer[] layers;
    private final ThreadLocal<double[][]> scratch;

    /**
     * One fully connected layer.
     *
     * @param inputs number of inputs
     * @param outputs number of units
     * @param weights row-major {@code outputs × inputs}: weight of input {@code i} into unit {@code j} at
     *     {@code j * inputs + i}
     * @param bias one per unit
     */
    record Layer(int inputs, int outputs, double[] weights, double[] bias) {}

    /** Serialised form: the layers from input to output. */
    record Parameters(List<Layer> layers) {}

    private MultilayerPerceptron(List<String> features, List<Layer> layers) {
        this.features = features;
        this.layers = layers.toArray(Layer[]::new);
        int widest = layers.stream().mapToInt(Layer::outputs).max().orElse(1);
        this.scratch = ThreadLocal.withInitial(() -> new double[2][widest]);
    }

    /**
     * A network from layers whose shapes chain: the first takes {@code features.size()} inputs, each next
     * one takes the previous one's outputs, the last has one output.
     */
    static MultilayerPerceptron of(List<String> features, List<Layer> layers) throws ModelFormatException {
        ModelDocument.require(!layers.isEmpty(), RegressorKind.MLP, "no layers");
        int inputs = features.size();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            String name = "layer " + l;
            ModelDocument.require(layer.inputs() == inputs, RegressorKind.MLP,
                    name + " takes " + layer.inputs() + " inputs but receives " + inputs);
            ModelDocument.require(layer.outputs() > 0 && layer.weights().length == (long) layer.inputs() * layer.outputs()
                            && layer.bias().length == layer.outputs(),
                    RegressorKind.MLP, name + ": weights must be inputs × outputs and one bias per output");
            ModelDocument.require(ModelDocument.allFinite(layer.weights()) && ModelDocument.allFinite(layer.bias()),
                    RegressorKind.MLP, name + ": weights must be finite numbers");
            inputs = layer.outputs();
        }
        ModelDocument.require(inputs == 1, RegressorKind.MLP, "the last layer must have one output, not " + inputs);
        return new MultilayerPerceptron(List.copyOf(features), List.copyOf(layers));
    }

    static MultilayerPerceptron load(byte[] bytes) throws ModelFormatException {
        var contents = ModelDocument.read(bytes, RegressorKind.MLP, Parameters.class);
        return of(contents.features(), contents.parameters().layers());
    }

    @Override
    public String kind() {
        return RegressorKind.MLP.id();
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public double predict(double[] row) {
        if (row.length != features.size()) {
            throw WrongRowLength.of(this, row);
        }
        double[][] buffers = scratch.get();
        double[] input = row;
        int last = layers.length - 1;
        for (int l = 0; l < last; l++) {
            double[] output = buffers[l & 1];
            forward(layers[l], input, output, true);
            input = output;
        }
        double[] output = buffers[last & 1];
        forward(layers[last], input, output, false);
        return output[0];
    }

    private static void forward(Layer layer, double[] input, double[] output, boolean relu) {
        int inputs = layer.inputs();
        double[] weights = layer.weights();
        for (int j = 0; j < layer.outputs(); j++) {
            double sum = layer.bias()[j];
            int offset = j * inputs;
            for (int i = 0; i < inputs; i++) {
                sum += weights[offset + i] * input[i];
            }
            output[j] = relu ? Math.max(0, sum) : sum;
        }
    }

    @Override
    public byte[] toBytes() {
        return ModelDocument.write(RegressorKind.MLP, features, new Parameters(List.of(layers)));
    }

    @Override
    public String toString() {
        StringBuilder shape = new StringBuilder().append(features.size());
        for (Layer layer : layers) {
            shape.append('-').append(layer.outputs());
        }
        return "mlp model " + shape + " over " + features;
    }
}
