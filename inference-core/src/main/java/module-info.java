/**
 * SoporteMax's GGUF inference engine. Its public API is {@code com.soportemax.inference.engine}: load a model,
 * generate, stream, run many conversations at once. File formats, tensors, tokenizers, the forward pass, the
 * synthetic-model factory and the command line are implementation details.
 */
module com.soportemax.inference {
    requires jdk.incubator.vector;
    requires java.management; // the benchmark reports peak heap
    requires jdk.httpserver;  // the OpenAI-compatible server (serve)

    exports com.soportemax.inference.engine;
}
