package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import java.util.Arrays;
import java.util.List;

/**
 * Ridge regression: a linear model fitted in closed form on standardised features, minimising
 * {@code Σ(y − ŷ)² + λ·Σw²} with the intercept left unpenalised. The penalty keeps the solution unique
 * and tame when features are collinear (text length and token count nearly are) or when there are fewer
 * rows than features, as early in online training.
 */
final class RidgeRegression implements Model {
    /** Penalty on standardised weights: mild, since the data sets hold hundreds to thousands of rows. */
    static final double LAMBDA = 1.0;

    private final List<String> features;
    private final double intercept;
    private final double[] coefficients;

    /** Serialised form: the weights on raw (unstandardised) feature values. */
    record Parameters(double intercept, double[] coefficients) {}

    private RidgeRegression(List<String> features, double intercept, double[] coefficients) {
        this.features = features;
        this.intercept = intercept;
        this.coefficients = coefficients;
    }

    static RidgeRegression fit(Dataset data) throws ModelTrainingException {
        double[][] rows = data.rows();
        double[] targets = data.targets();
        int width = data.featureCount();
        Standardization scaling = Standardization.ofColumns(rows, width);
        double[][] standardised = scaling.apply(rows);
        double targetMean = Arrays.stream(targets).average().orElse(0);

        // Normal equations on centred data: (ZᵀZ + λI)·w = Zᵀ(y − ȳ). Centring makes the intercept ȳ,
        // which is why it escapes the penalty.
        double[][] gram = new double[width][width];
        double[] moment = new double[width];
        for (int i = 0; i < standardised.length; i++) {
            double[] z = standardised[i];
            double centred = targets[i] - targetMean;
            for (int j = 0; j < width; j++) {
                moment[j] += z[j] * centred;
                for (int k = 0; k <= j; k++) {
                    gram[j][k] += z[j] * z[k];
                }
            }
        }
        for (int j = 0; j < width; j++) {
            gram[j][j] += LAMBDA;
            for (int k = 0; k < j; k++) {
                gram[k][j] = gram[j][k];
            }
        }
        double[] weights = LinearSystems.solveSymmetricPositiveDefinite(gram, moment);

        // Fold the standardisation into the weights so that predict() is one dot product on raw values.
        double[] coefficients = new double[width];
        double intercept = targetMean;
        for (int j = 0; j < width; j++) {
            coefficients[j] = weights[j] / scaling.scales()[j];
            intercept -= coefficients[j] * scaling.means()[j];
        }
        if (!Double.isFinite(intercept) || !ModelDocument.allFinite(coefficients)) {
            throw new ModelTrainingException("ridge regression produced non-finite weights; check the data for extreme values");
        }
        return new RidgeRegression(data.featureNames(), intercept, coefficients);
    }

    static RidgeRegression load(byte[] bytes) throws ModelFormatException {
        var contents = ModelDocument.read(bytes, RegressorKind.LINEAR, Parameters.class);
        Parameters parameters = contents.parameters();
        ModelDocument.require(parameters.coefficients().length == contents.features().size(), RegressorKind.LINEAR,
                parameters.coefficients().length + " coefficients for " + contents.features().size() + " features");
        ModelDocument.require(Double.isFinite(parameters.intercept()) && ModelDocument.allFinite(parameters.coefficients()),
                RegressorKind.LINEAR, "weights must be finite numbers");
        return new RidgeRegression(contents.features(), parameters.intercept(), parameters.coefficients().clone());
    }

    @Override
    public String kind() {
        return RegressorKind.LINEAR.id();
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public double predict(double[] row) {
        if (row.length != coefficients.length) {
            throw WrongRowLength.of(this, row);
        }
        double sum = intercept;
        for (int j = 0; j < coefficients.length; j++) {
            sum += coefficients[j] * row[j];
        }
        return sum;
    }

    @Override
    public byte[] toBytes() {
        return ModelDocument.write(RegressorKind.LINEAR, features, new Parameters(intercept, coefficients));
    }

    @Override
    public String toString() {
        return "linear model over " + features;
    }
}
