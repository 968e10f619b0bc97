package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains {@link RegressorKind#MLP} models: {@value #HIDDEN_LAYERS} hidden layers of {@value #HIDDEN_UNITS}
 * ReLU units and one linear output, on standardised inputs and target, minimising mean squared error with
 * Adam on shuffled mini-batches of {@value #BATCH_SIZE}.
 *
 * <p>Training stops early: a seeded {@value #VALIDATION_FRACTION} of the rows is held out, the network is
 * scored on it after every epoch, training ends {@value #PATIENCE} epochs after the best score (at most
 * {@value #MAX_EPOCHS}), and the weights of the best epoch are kept. Unlike the tree trainer it does not
 * refit on all rows afterwards: a second training run would double the cost, and the epoch count does not
 * carry over to a larger data set as a round count does. Below {@value #MIN_ROWS_FOR_EARLY_STOPPING} rows
 * all rows train for {@value #FIXED_EPOCHS} epochs. Every random choice (split, initial weights, batch
 * order) comes from the seed, and the arithmetic is sequential, so a seed gives the same model every time.
 */
final class MlpTrainer {
    static final int HIDDEN_LAYERS = 2;
    static final int HIDDEN_UNITS = 32;
    static final double LEARNING_RATE = 1e-3;
    static final int BATCH_SIZE = 32;
    static final int MAX_EPOCHS = 300;
    static final int PATIENCE = 25;
    static final int FIXED_EPOCHS = 200;
    static final int MIN_ROWS_FOR_EARLY_STOPPING = 50;
    static final double VALIDATION_FRACTION = 0.2;

    private MlpTrainer() {}

    static MultilayerPerceptron train(Dataset data, long seed) throws ModelTrainingException {
        boolean earlyStopping = data.size() >= MIN_ROWS_FOR_EARLY_STOPPING;
        Dataset.Split split = earlyStopping ? data.split(1 - VALIDATION_FRACTION, seed) : new Dataset.Split(data, null);
        Dataset train = split.train();
        Standardization inputScaling = Standardization.ofColumns(train.rows(), train.featureCount());
        Standardization targetScaling = Standardization.ofValues(train.targets());
        double[][] inputs = inputScaling.apply(train.rows());
        double[] targets = standardisedTargets(train, targetScaling);
        double[][] validationInputs = earlyStopping ? inputScaling.apply(split.test().rows()) : null;
        double[] validationTargets = earlyStopping ? standardisedTargets(split.test(), targetScaling) : null;

        SplittableRandom random = new SplittableRandom(seed);
        Network network = new Network(train.featureCount(), random);
        List<double[]> best = network.parameters();
        double bestError = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int[] order = identity(inputs.length);
        int epochs = earlyStopping ? MAX_EPOCHS : FIXED_EPOCHS;
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += BATCH_SIZE) {
                int end = Math.min(start + BATCH_SIZE, order.length);
                for (int k = start; k < end; k++) {
                    network.accumulateGradient(inputs[order[k]], targets[order[k]], end - start);
                }
                network.adamStep();
            }
            if (earlyStopping) {
                double error = network.meanSquaredError(validationInputs, validationTargets);
                if (Double.isNaN(error)) {
                    break; // diverged; reported below
                }
                if (error < bestError) {
                    bestError = error;
                    bestEpoch = epoch;
                    best = network.parameters();
                } else if (epoch - bestEpoch >= PATIENCE) {
                    break;
                }
            }
        }
        if (!earlyStopping) {
            best = network.parameters();
        }
        return fold(data.featureNames(), network.layers(best), inputScaling, targetScaling);
    }

    /**
     * Rewrites the trained layers so that the model reads raw features and returns seconds: the first
     * layer absorbs {@code (x − mean)/scale}, the last one {@code y·scale + mean}.
     */
    private static MultilayerPerceptron fold(List<String> features, List<MultilayerPerceptron.Layer> layers,
            Standardization inputScaling, Standardization targetScaling) throws ModelTrainingException {
        List<MultilayerPerceptron.Layer> folded = new ArrayList<>(layers);
        MultilayerPerceptron.Layer first = layers.getFirst();
        double[] weights = first.weights().clone();
        double[] bias = first.bias().clone();
        for (int j = 0; j < first.outputs(); j++) {
            for (int i = 0; i < first.inputs(); i++) {
                int index = j * first.inputs() + i;
                weights[index] = first.weights()[index] / inputScaling.scales()[i];
                bias[j] -= weights[index] * inputScaling.means()[i];
            }
        }
        folded.set(0, new MultilayerPerceptron.Layer(first.inputs(), first.outputs(), weights, bias));

        MultilayerPerceptron.Layer last = folded.getLast();
        double targetScale = targetScaling.scales()[0];
        double[] outputWeights = last.weights().clone();
        for (int i = 0; i < outputWeights.length; i++) {
            outputWeights[i] *= targetScale;
        }
        double[] outputBias = {last.bias()[0] * targetScale + targetScaling.means()[0]};
        folded.set(folded.size() - 1, new MultilayerPerceptron.Layer(last.inputs(), 1, outputWeights, outputBias));
        try {
            return MultilayerPerceptron.of(features, folded);
        } catch (ModelFormatException e) {
            throw new ModelTrainingException("MLP training diverged (" + e.getMessage()
                    + "); use the 'gbt' or 'linear' regressor, or check the data for extreme values", e);
        }
    }

    private static double[] standardisedTargets(Dataset data, Standardization scaling) {
        double[] targets = data.targets();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (targets[i] - scaling.means()[0]) / scaling.scales()[0];
        }
        return targets;
    }

    private static int[] identity(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return order;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** The network while it trains: weights, their gradients and Adam's moment estimates. Owned by one trainer. */
    private static final class Network {
        private final TrainableLayer[] layers;
        private int step;

        Network(int inputs, SplittableRandom random) {
            layers = new TrainableLayer[HIDDEN_LAYERS + 1];
            int width = inputs;
            for (int l = 0; l < HIDDEN_LAYERS; l++) {
                layers[l] = new TrainableLayer(width, HIDDEN_UNITS, true, random);
                width = HIDDEN_UNITS;
            }
            layers[HIDDEN_LAYERS] = new TrainableLayer(width, 1, false, random);
        }

        double predict(double[] input) {
            double[] activation = input;
            for (TrainableLayer layer : layers) {
                activation = layer.forward(activation);
            }
            return activation[0];
        }

        /** Adds the gradient of one sample's squared error, as its share of a batch's mean. */
        void accumulateGradient(double[] input, double target, int batchSize) {
            double[] outputGradient = {2 * (predict(input) - target) / batchSize};
            for (int l = layers.length - 1; l >= 0; l--) {
                double[] layerInput = l == 0 ? input : layers[l - 1].activation;
                outputGradient = layers[l].backward(layerInput, outputGradient, l > 0);
            }
        }

        void adamStep() {
            step++;
            for (TrainableLayer layer : layers) {
                layer.adamStep(step);
            }
        }

        double meanSquaredError(double[][] inputs, double[] targets) {
            double sum = 0;
            for (int i = 0; i < inputs.length; i++) {
                double error = predict(inputs[i]) - targets[i];
                sum += error * error;
            }
            return sum / inputs.length;
        }

        /** A copy of all weights and biases, layer by layer (weights then bias). */
        List<double[]> parameters() {
            List<double[]> copy = new ArrayList<>();
            for (TrainableLayer layer : layers) {
                copy.add(layer.weights.clone());
                copy.add(layer.bias.clone());
            }
            return copy;
        }

        List<MultilayerPerceptron.Layer> layers(List<double[]> parameters) {
            List<MultilayerPerceptron.Layer> result = new ArrayList<>();
            for (int l = 0; l < layers.length; l++) {
                result.add(new MultilayerPerceptron.Layer(
                        layers[l].inputs, layers[l].outputs, parameters.get(2 * l), parameters.get(2 * l + 1)));
            }
            return result;
        }
    }

    /** A dense layer with what backpropagation and Adam need besides its weights. */
    private static final class TrainableLayer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-8;

        final int inputs;
        final int outputs;
        final boolean relu;
        final double[] weights;
        final double[] bias;
        final double[] activation;
        private final double[] weightGradient;
        private final double[] biasGradient;
        private final double[] inputGradient;
        private final double[][] moments; // Adam: first and second moments of weights, then of bias

        TrainableLayer(int inputs, int outputs, boolean relu, SplittableRandom random) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.relu = relu;
            weights = new double[inputs * outputs];
            bias = new double[outputs];
            // He initialisation keeps ReLU activations at a stable scale; the linear output uses 1/fan-in.
            double deviation = Math.sqrt((relu ? 2.0 : 1.0) / inputs);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = deviation * random.nextGaussian();
            }
            activation = new double[outputs];
            weightGradient = new double[weights.length];
            biasGradient = new double[outputs];
            inputGradient = new double[inputs];
            moments = new double[][] {
                new double[weights.length], new double[weights.length], new double[outputs], new double[outputs]
            };
        }

        double[] forward(double[] input) {
            for (int j = 0; j < outputs; j++) {
                double sum = bias[j];
                int offset = j * inputs;
                for (int i = 0; i < inputs; i++) {
                    sum += weights[offset + i] * input[i];
                }
                activation[j] = relu ? Math.max(0, sum) : sum;
            }
            return activation;
        }

        /**
         * Accumulates this layer's parameter gradients from {@code outputGradient} (loss by activation)
         * and returns the loss by input when {@code propagate}, for the layer below.
         */
        double[] backward(double[] input, double[] outputGradient, boolean propagate) {
            if (propagate) {
                Arrays.fill(inputGradient, 0);
            }
            for (int j = 0; j < outputs; j++) {
                double delta = relu && activation[j] <= 0 ? 0 : outputGradient[j];
                if (delta == 0) {
                    continue;
                }
                biasGradient[j] += delta;
                int offset = j * inputs;
                for (int i = 0; i < inputs; i++) {
                    weightGradient[offset + i] += delta * input[i];
                    if (propagate) {
                        inputGradient[i] += weights[offset + i] * delta;
                    }
                }
            }
            return inputGradient;
        }

        void adamStep(int step) {
            double stepSize = LEARNING_RATE * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
            update(weights, weightGradient, moments[0], moments[1], stepSize);
            update(bias, biasGradient, moments[2], moments[3], stepSize);
        }

        /** One Adam update (bias correction folded into the step size), then clears the gradient. */
        private static void update(double[] values, double[] gradient, double[] mean, double[] variance, double stepSize) {
            for (int i = 0; i < values.length; i++) {
                double g = gradient[i];
                mean[i] = BETA1 * mean[i] + (1 - BETA1) * g;
                variance[i] = BETA2 * variance[i] + (1 - BETA2) * g * g;
                values[i] -= stepSize * mean[i] / (Math.sqrt(variance[i]) + EPSILON);
                gradient[i] = 0;
            }
        }
    }
}
