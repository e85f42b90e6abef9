package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time of one decode step (one generated token for each of N sequences, after a P-token prompt each, 16 unless given) on one
 * thread: a measure of the work per token that holds up on a machine other processes are using, where wall-clock
 * figures measure them. Prints the median and the fastest of the steps for each N. A benchmark to run by hand, not a
 * test:
 * <pre>
 * ./mvnw -q -pl inference-core test-compile
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp inference-core/target/classes:inference-core/target/test-classes \
 *     com.soportemax.inference.model.DecodeStepBenchmark model.gguf [streams, default 1,4,8] [steps, default 20] \
 *     [prompt tokens, default 16]
 * </pre>
 */
public final class DecodeStepBenchmark {

    private DecodeStepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        String[] streamCounts = (args.length > 1 ? args[1] : "1,4,8").split(",");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int promptTokens = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("load average at start %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long start = System.nanoTime();
        try (GgufFile gguf = GgufFile.open(path); KernelPool pool = KernelPools.create(1)) {
            Transformer model = Transformer.load(gguf);
            System.out.printf("loaded in %.2f s%n", (System.nanoTime() - start) / 1e9);
            WeightMatrices.warmUp(model.weightTypes(), 3000);
            int[] prompt = new int[promptTokens];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = (100 + 7 * i) % model.config().vocabularySize();
            }
            int[] generated = {42};
            for (String count : streamCounts) {
                int streams = Integer.parseInt(count.trim());
                Transformer.Workspace workspace = model.newWorkspace(Transformer.PREFILL_CHUNK, streams);
                List<Transformer.State> states = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    Transformer.State state = model.newState(promptTokens + steps + 16);
                    for (int done = 0; done < prompt.length; done += Transformer.PREFILL_CHUNK) {
                        int n = Math.min(Transformer.PREFILL_CHUNK, prompt.length - done);
                        model.forward(List.of(new Transformer.Step(state.sequence(), prompt, done, n, true, true)),
                                workspace, pool);
                    }
                    states.add(state);
                }
                long[] cpu = new long[steps];
                for (int k = 0; k < steps; k++) {
                    List<Transformer.Step> step = new ArrayList<>();
                    for (Transformer.State state : states) {
                        step.add(new Transformer.Step(state.sequence(), generated, 0, 1, false, true));
                    }
                    long before = threads.getCurrentThreadCpuTime();
                    model.forward(step, workspace, pool);
                    cpu[k] = threads.getCurrentThreadCpuTime() - before;
                }
                Arrays.sort(cpu);
                System.out.printf("%d streams: CPU per step median %.1f ms, fastest %.1f ms (%.1f tokens per CPU-second)%n",
                        streams, cpu[steps / 2] / 1e6, cpu[0] / 1e6, streams * 1e9 / cpu[0]);
                for (Transformer.State state : states) {
                    state.sequence().release();
                }
            }
        }
    }
}
