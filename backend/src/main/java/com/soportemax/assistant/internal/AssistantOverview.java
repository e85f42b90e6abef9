package com.soportemax.assistant.internal;

import com.soportemax.inference.engine.ModelInfo;

import java.util.List;

/**
 * What admins see about the assistant.
 *
 * @param mode            LOADING, LLM or RETRIEVAL_ONLY
 * @param model           the loaded model, null unless mode is LLM
 * @param notice          why there is no model and how to enable one; empty in LLM mode
 * @param tokensPerSecond mean decode speed of recent answers, null before the first one
 * @param versions        recent settings versions, newest first
 */
public record AssistantOverview(String mode, String modelReference, ModelInfo model, String notice, Double tokensPerSecond,
                         SettingsVersion settings, List<SettingsVersion> versions) {

    public boolean retrievalOnly() {
        return !"LLM".equals(mode);
    }
}
