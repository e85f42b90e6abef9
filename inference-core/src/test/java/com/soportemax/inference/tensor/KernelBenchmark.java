package com.soportemax.inference.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Matrix-vector and batched products at the shapes of qwen2.5-0.5b, for each type, on 1 and 2 threads. Prints the
 * median weight bandwidth (GB/s of weight bytes read) and arithmetic rate (GFLOP/s, 2 per multiply-add).
 * A benchmark to run by hand, not a test:
 * <pre>
 * ./mvnw -q -pl inference-core test-compile
 * java --add-modules jdk.incubator.vector -cp inference-core/target/classes:inference-core/target/test-classes \
 *     com.soportemax.inference.tensor.KernelBenchmark [types, default Q8_0 Q4_K] [--batches 1,4,8] [--threads 1,2] [--shape 896x4864] [--cpu-time] [--generated]
 * </pre>
 */
public final class KernelBenchmark {

    /** Time the calling thread's CPU instead of the wall clock: for 1 thread on a machine others are using. */
    private static boolean cpuTime;

    /**
     * Batches as the generated tokens of several sequences (the decode kernels of continuous batching,
     * {@link WeightMatrix#multiplyMixed} without prompt vectors) instead of as prompt tokens (the batched kernels).
     */
    private static boolean generated;

    private static final int[][] SHAPES = {{896, 896}, {4864, 896}, {896, 4864}, {151936, 896}};

    public static void main(String[] args) {
        List<GgmlType> types = new ArrayList<>();
        int[] batches = {1, 4, 8};
        int[] threadCounts = {1, 2};
        int[][] shapes = SHAPES;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = parse(args[++i]);
                case "--threads" -> threadCounts = parse(args[++i]);
                case "--cpu-time" -> cpuTime = true;
                case "--generated" -> generated = true;
                case "--shape" -> shapes = new int[][] {parse(args[++i].replace('x', ','))};
                default -> types.add(GgmlType.valueOf(args[i].toUpperCase()));
            }
        }
        if (types.isEmpty()) {
            types = List.of(GgmlType.Q8_0, GgmlType.Q4_K);
        }
        System.out.printf("vector species %s (enabled %s), %d cpus%n", VectorShapes.F, VectorShapes.ENABLED,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("load average at start %.1f (other processes make wall-clock numbers pessimistic)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-5s %-12s %7s %5s %9s %9s %9s %9s%n", "type", "shape", "threads", "batch", "median ms",
                "GB/s", "GFLOP/s", "best GB/s");
        for (GgmlType type : types) {
            warmUp(type, batches, threadCounts);
            for (int[] shape : shapes) {
                if (shape[1] % type.blockSize() != 0) {
                    System.out.printf("%-5s %-12s (cols not a multiple of %d: llama.cpp stores such tensors in "
                            + "another type)%n", type, shape[0] + "x" + shape[1], type.blockSize());
                    continue;
                }
                try (Arena arena = Arena.ofShared()) {
                    int rows = shape[0];
                    int cols = shape[1];
                    MemorySegment data = randomData(type, rows, cols, arena);
                    WeightMatrix m = WeightMatrices.of(type, data, rows, cols);
                    for (int threads : threadCounts) {
                        try (KernelPool pool = KernelPools.create(threads)) {
                            for (int batch : batches) {
                                run(m, data.byteSize(), pool, batch);
                            }
                        }
                    }
                }
            }
        }
        System.exit(0);
    }

    /**
     * Until C2 has compiled a kernel, the Vector API runs boxed and 100x slower; loops that long would make the JIT
     * take its time. So each type first runs on a small matrix for a while, with every batch and thread count.
     */
    private static void warmUp(GgmlType type, int[] batches, int[] threadCounts) {
        try (Arena arena = Arena.ofShared()) {
            // 43 blocks of 32: every segment shape of the Q8_0 kernels (an odd number of whole segments, then tails),
            // so that the measured shapes do not meet a path the JIT has not seen (and fall back to the interpreter)
            int cols = type.blockSize() == 256 ? 1024 : 43 * 32;
            MemorySegment data = randomData(type, 256, cols, arena);
            WeightMatrix m = WeightMatrices.of(type, data, 256, cols);
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                for (int threads : threadCounts) {
                    try (KernelPool pool = KernelPools.create(threads)) {
                        for (int batch : batches) {
                            float[] in = new float[batch * cols];
                            float[] out = new float[batch * 256];
                            for (int i = 0; i < 200; i++) {
                                product(m, in, out, batch, pool);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void run(WeightMatrix m, long bytes, KernelPool pool, int batch) {
        Random rng = new Random(1);
        float[] in = new float[batch * m.cols()];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) rng.nextGaussian();
        }
        float[] out = new float[batch * m.rows()];
        // Settle for 1 s (time for the JIT to recompile what this shape meets first), then time at least 9 runs or 1 s.
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            product(m, in, out, batch, pool);
        }
        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + 1_000_000_000L;
        while (times.size() < 9 || System.nanoTime() < end) {
            long t0 = now();
            product(m, in, out, batch, pool);
            times.add(now() - t0);
            if (times.size() >= 2000) {
                break;
            }
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        double seconds = sorted[sorted.length / 2] / 1e9;
        double flops = 2.0 * m.rows() * m.cols() * batch;
        double best = sorted[0] / 1e9;
        System.out.printf("%-5s %-12s %7d %5d %9.3f %9.2f %9.2f %9.2f%n", m.type(), m.rows() + "x" + m.cols(),
                pool.threads(), batch, seconds * 1e3, bytes / seconds / 1e9, flops / seconds / 1e9, bytes / best / 1e9);
    }

    private static void product(WeightMatrix m, float[] in, float[] out, int batch, KernelPool pool) {
        if (generated) {
            m.multiplyMixed(in, out, 0, batch, pool);
        } else {
            m.multiply(in, out, batch, pool);
        }
    }

    private static long now() {
        return cpuTime ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                : System.nanoTime();
    }

    /** Random quants with moderate finite scales; filled in place, without a heap copy of the whole matrix. */
    private static MemorySegment randomData(GgmlType type, int rows, int cols, Arena arena) {
        long bytes = (long) rows * type.bytesFor(cols);
        MemorySegment data = arena.allocate(bytes, 64);
        Random rng = new Random(42);
        long i = 0;
        for (; i + 8 <= bytes; i += 8) {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, i, rng.nextLong());
        }
        for (; i < bytes; i++) {
            data.set(ValueLayout.JAVA_BYTE, i, (byte) rng.nextInt());
        }
        long blocks = bytes / type.blockBytes();
        for (long b = 0; b < blocks; b++) {
            long at = b * type.blockBytes();
            short scale = Float.floatToFloat16(0.001f + rng.nextFloat() * 0.01f);
            switch (type) {
                case F32 -> data.set(ReferenceKernels.FLOAT_LE, at, (float) rng.nextGaussian());
                case F16, Q8_0, Q4_0, Q5_0 -> data.set(ReferenceKernels.SHORT_LE, at, scale);
                case BF16 -> data.set(ReferenceKernels.SHORT_LE, at,
                        (short) (Float.floatToIntBits((float) rng.nextGaussian()) >>> 16));
                case Q4_K, Q5_K, Q4_1, Q5_1 -> {
                    data.set(ReferenceKernels.SHORT_LE, at, scale);
                    data.set(ReferenceKernels.SHORT_LE, at + 2, scale);
                }
                case Q6_K -> data.set(ReferenceKernels.SHORT_LE, at + 208, scale);
            }
        }
        return data;
    }

    private static int[] parse(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
