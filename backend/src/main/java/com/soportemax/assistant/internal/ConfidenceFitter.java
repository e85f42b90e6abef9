package com.soportemax.assistant.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link ConfidenceModel.Logistic} to labelled messages by Newton's method (iteratively reweighted least
 * squares) with an L2 penalty on the weights (not on the intercept), so that a small labelled set gives moderate
 * weights instead of a perfect, overconfident separation.
 */
final class ConfidenceFitter {

    /** One labelled message: its features and whether the answer given to it was right. */
    record Example(Map<String, Double> features, boolean right) {
    }

    private ConfidenceFitter() {
    }

    static ConfidenceModel.Logistic fit(List<Example> examples, List<String> featureNames, double l2, String note) {
        if (examples.isEmpty()) throw new IllegalArgumentException("no labelled examples to fit");
        int d = featureNames.size() + 1;
        double[] beta = new double[d];
        for (int iteration = 0; iteration < 100; iteration++) {
            double[] gradient = new double[d];
            double[][] hessian = new double[d][d];
            for (Example e : examples) {
                double[] x = row(e, featureNames);
                double p = sigmoid(dot(beta, x));
                double y = e.right() ? 1 : 0;
                for (int i = 0; i < d; i++) {
                    gradient[i] += (p - y) * x[i];
                    for (int j = 0; j < d; j++) hessian[i][j] += p * (1 - p) * x[i] * x[j];
                }
            }
            for (int i = 1; i < d; i++) {
                gradient[i] += l2 * beta[i];
                hessian[i][i] += l2;
            }
            hessian[0][0] += 1e-9;
            double[] step = solve(hessian, gradient);
            double change = 0;
            for (int i = 0; i < d; i++) {
                beta[i] -= step[i];
                change = Math.max(change, Math.abs(step[i]));
            }
            if (change < 1e-9) break;
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < featureNames.size(); i++) weights.put(featureNames.get(i), beta[i + 1]);
        return new ConfidenceModel.Logistic(beta[0], weights, note);
    }

    /** The probabilities and labels of the examples under {@code model}, for the what-if table. */
    static List<ConfidenceModel.Labelled> sample(ConfidenceModel.Logistic model, List<Example> examples) {
        List<ConfidenceModel.Labelled> out = new ArrayList<>();
        for (Example e : examples) out.add(new ConfidenceModel.Labelled(model.probability(e.features()), e.right()));
        return out;
    }

    private static double[] row(Example e, List<String> names) {
        double[] x = new double[names.size() + 1];
        x[0] = 1;
        for (int i = 0; i < names.size(); i++) x[i + 1] = e.features().getOrDefault(names.get(i), 0.0);
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Gaussian elimination with partial pivoting; the L2 term keeps the matrix well conditioned. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            if (Math.abs(m[col][col]) < 1e-12) continue;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) m[r][c] -= f * m[col][c];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.abs(m[i][i]) < 1e-12 ? 0 : m[i][n] / m[i][i];
        return x;
    }
}
