/**
 * Synthetic models for tests and benchmarks: GGUF files with the exact tensor shapes and metadata of real
 * architectures ({@link com.soportemax.inference.synthetic.ModelShape}), random weights
 * ({@link com.soportemax.inference.synthetic.RandomModel}, encoded by
 * {@link com.soportemax.inference.synthetic.WeightEncoder}) and vocabularies of the real size with the real special
 * tokens and chat templates ({@link com.soportemax.inference.synthetic.SyntheticVocabulary}). Nothing the engine
 * runs in production depends on this package.
 */
package com.soportemax.inference.synthetic;
