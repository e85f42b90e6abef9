package com.soportemax.knowledge.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Map;

/**
 * The passages' vectors as one contiguous matrix, row {@code r} for the passage {@code doc} of a {@link LexicalIndex}
 * with {@code rowOf[doc] = r} (-1: no vector yet). The vectors are L2-normalised, so a dot product is a cosine.
 */
final class SemanticIndex {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final int dimension;
    private final float[] matrix;
    private final int[] rowOf;
    private final int rows;

    private SemanticIndex(int dimension, float[] matrix, int[] rowOf, int rows) {
        this.dimension = dimension;
        this.matrix = matrix;
        this.rowOf = rowOf;
        this.rows = rows;
    }

    /** The vectors of {@code index}'s passages, found by the checksum of their text. */
    static SemanticIndex of(LexicalIndex index, Map<String, float[]> vectors, String passagePrefix) {
        int[] rowOf = new int[index.size()];
        Arrays.fill(rowOf, -1);
        int dimension = vectors.values().stream().findFirst().map(v -> v.length).orElse(0);
        float[] matrix = new float[index.size() * dimension];
        int rows = 0;
        for (int doc = 0; doc < index.size(); doc++) {
            LexicalIndex.Source source = index.doc(doc).source();
            float[] vector = vectors.get(PassageText.of(passagePrefix, source.title(), source.text()).sha256());
            if (vector == null || vector.length != dimension) continue;
            System.arraycopy(vector, 0, matrix, rows * dimension, dimension);
            rowOf[doc] = rows++;
        }
        return new SemanticIndex(dimension, matrix, rowOf, rows);
    }

    /** How many passages have a vector. */
    int rows() {
        return rows;
    }

    int dimension() {
        return dimension;
    }

    /** Each passage's cosine with {@code query} (same dimension, normalised); NaN for a passage without a vector. */
    double[] cosines(float[] query) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("the question's vector has " + query.length
                    + " dimensions, the passages' " + dimension);
        }
        double[] cosines = new double[rowOf.length];
        for (int doc = 0; doc < rowOf.length; doc++) {
            cosines[doc] = rowOf[doc] < 0 ? Double.NaN : dot(matrix, rowOf[doc] * dimension, query);
        }
        return cosines;
    }

    /** {@code matrix[offset .. offset + v.length)} · {@code v}, with the Vector API. */
    static float dot(float[] matrix, int offset, float[] v) {
        int n = v.length;
        int upper = SPECIES.loopBound(n);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        int i = 0;
        int step = SPECIES.length();
        for (; i + step <= upper - step; i += 2 * step) {
            a0 = FloatVector.fromArray(SPECIES, matrix, offset + i).fma(FloatVector.fromArray(SPECIES, v, i), a0);
            a1 = FloatVector.fromArray(SPECIES, matrix, offset + i + step)
                    .fma(FloatVector.fromArray(SPECIES, v, i + step), a1);
        }
        for (; i < upper; i += step) {
            a0 = FloatVector.fromArray(SPECIES, matrix, offset + i).fma(FloatVector.fromArray(SPECIES, v, i), a0);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += matrix[offset + i] * v[i];
        return sum;
    }

    /** The scalar reference of {@link #dot}. */
    static float dotScalar(float[] matrix, int offset, float[] v) {
        float sum = 0;
        for (int i = 0; i < v.length; i++) sum += matrix[offset + i] * v[i];
        return sum;
    }
}
