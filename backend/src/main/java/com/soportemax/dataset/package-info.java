/**
 * Fine-tuning datasets from reviewed conversations (OpenAI SFT and DPO, TRL DPO, KTO), personal data removed,
 * streamed with constant memory; each export is recorded with its SHA-256.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dataset")
package com.soportemax.dataset;
