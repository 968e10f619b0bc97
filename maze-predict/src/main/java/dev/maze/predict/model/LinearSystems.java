package dev.maze.predict.model;

/** The one piece of linear algebra ridge regression needs, written out rather than pulling in a library. */
final class LinearSystems {
    private LinearSystems() {}

    /**
     * Solves {@code a·x = b} for a symmetric positive-definite {@code a} by Cholesky decomposition
     * ({@code a = L·Lᵀ}, then two triangular solves). Ridge's normal equations are positive definite by
     * construction (XᵀX + λI with λ > 0), and Cholesky is then both the fastest and the most stable direct
     * method. Neither argument is modified.
     *
     * @throws ArithmeticException when {@code a} is not positive definite
     */
    static double[] solveSymmetricPositiveDefinite(double[][] a, double[] b) {
        int n = b.length;
        double[][] lower = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i][k] * lower[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new ArithmeticException("matrix is not positive definite (pivot " + i + " is " + sum + ")");
                    }
                    lower[i][i] = Math.sqrt(sum);
                } else {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= lower[i][k] * y[k];
            }
            y[i] = sum / lower[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= lower[k][i] * x[k];
            }
            x[i] = sum / lower[i][i];
        }
        return x;
    }
}
