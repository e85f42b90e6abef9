package com.soportemax.inference.synthetic;

import com.soportemax.inference.tensor.GgmlType;

/**
 * Encodes float weights into GGML block formats, for generated models (make-random, tests, benchmarks). The
 * K-quant encoder is a plain min/max fit, not llama.cpp's error-minimising search: generated weights only need to be
 * valid, and both engines then read the very same bytes.
 */
public final class WeightEncoder {

    private WeightEncoder() {
    }

    /** Encodes one row (or several whole rows); {@code values.length} must be a multiple of the block size. */
    public static byte[] encode(GgmlType type, float[] values) {
        byte[] out = new byte[(int) type.bytesFor(values.length)];
        encode(type, values, out);
        return out;
    }

    public static void encode(GgmlType type, float[] values, byte[] out) {
        if (values.length % type.blockSize() != 0) {
            throw new IllegalArgumentException(values.length + " values are not a whole number of " + type + " blocks");
        }
        int blocks = values.length / type.blockSize();
        for (int b = 0; b < blocks; b++) {
            int in = b * type.blockSize();
            int o = b * type.blockBytes();
            switch (type) {
                case F32 -> putInt(out, o, Float.floatToRawIntBits(values[in]));
                case F16 -> putShort(out, o, Float.floatToFloat16(values[in]));
                case BF16 -> putShort(out, o, (short) (Float.floatToRawIntBits(values[in]) + 0x8000 >>> 16));
                case Q8_0 -> q8_0(values, in, out, o);
                case Q4_0 -> q4_0(values, in, out, o);
                case Q4_K -> q4_k(values, in, out, o);
                default -> throw new UnsupportedOperationException("no encoder for " + type);
            }
        }
    }

    // ggml block_q8_0: fp16 d, 32 x int8; x = d * q
    private static void q8_0(float[] x, int in, byte[] out, int o) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[in + j]));
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        putShort(out, o, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) out[o + 2 + j] = (byte) Math.round(x[in + j] * id);
    }

    // ggml block_q4_0: fp16 d, 16 bytes; low nibbles hold elements 0..15, high nibbles 16..31; x = d * (q - 8)
    private static void q4_0(float[] x, int in, byte[] out, int o) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[in + j];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        putShort(out, o, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) (x[in + j] * id + 8.5f));
            int q1 = Math.min(15, (int) (x[in + 16 + j] * id + 8.5f));
            out[o + 2 + j] = (byte) (q0 | q1 << 4);
        }
    }

    // ggml block_q4_K (256 values): fp16 d, fp16 dmin, 12 bytes of packed 6-bit (scale, min) for 8 sub-blocks of 32,
    // 128 bytes of nibbles; x = d * scale * q - dmin * min
    private static void q4_k(float[] x, int in, byte[] out, int o) {
        float[] scales = new float[8];
        float[] mins = new float[8];
        for (int s = 0; s < 8; s++) {
            float lo = 0, hi = 0;
            for (int j = 0; j < 32; j++) {
                lo = Math.min(lo, x[in + s * 32 + j]);
                hi = Math.max(hi, x[in + s * 32 + j]);
            }
            scales[s] = (hi - lo) / 15f;
            mins[s] = -lo;
        }
        float maxScale = 0, maxMin = 0;
        for (int s = 0; s < 8; s++) {
            maxScale = Math.max(maxScale, scales[s]);
            maxMin = Math.max(maxMin, mins[s]);
        }
        float d = Float.float16ToFloat(Float.floatToFloat16(maxScale / 63f));
        float dmin = Float.float16ToFloat(Float.floatToFloat16(maxMin / 63f));
        int[] sc = new int[8];
        int[] mn = new int[8];
        for (int s = 0; s < 8; s++) {
            sc[s] = d == 0 ? 0 : Math.clamp(Math.round(scales[s] / d), 0, 63);
            mn[s] = dmin == 0 ? 0 : Math.clamp(Math.round(mins[s] / dmin), 0, 63);
            // a rounded-down scale must still cover the range
            if (sc[s] < 63 && sc[s] * d * 15 < (scales[s] * 15) * 0.999f) sc[s]++;
            if (mn[s] < 63 && mn[s] * dmin < mins[s]) mn[s]++;
        }
        putShort(out, o, Float.floatToFloat16(d));
        putShort(out, o + 2, Float.floatToFloat16(dmin));
        byte[] packed = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                packed[j] = (byte) (sc[j] & 63);
                packed[j + 4] = (byte) (mn[j] & 63);
            } else {
                packed[j + 4] = (byte) ((sc[j] & 0xF) | (mn[j] & 0xF) << 4);
                packed[j - 4] |= (byte) ((sc[j] >> 4) << 6);
                packed[j] |= (byte) ((mn[j] >> 4) << 6);
            }
        }
        System.arraycopy(packed, 0, out, o + 4, 12);
        for (int chunk = 0; chunk < 4; chunk++) {
            int[] q = new int[64];
            for (int half = 0; half < 2; half++) {
                int s = chunk * 2 + half;
                float scale = d * sc[s];
                float offset = dmin * mn[s];
                for (int l = 0; l < 32; l++) {
                    float v = x[in + s * 32 + l];
                    q[half * 32 + l] = scale == 0 ? 0 : Math.clamp(Math.round((v + offset) / scale), 0, 15);
                }
            }
            for (int l = 0; l < 32; l++) out[o + 16 + chunk * 32 + l] = (byte) (q[l] | q[32 + l] << 4);
        }
    }

    private static void putShort(byte[] b, int o, short v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
        b[o + 2] = (byte) (v >> 16);
        b[o + 3] = (byte) (v >> 24);
    }
}
