package com.soportemax.assistant;

import com.soportemax.shared.models.ModelReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelReferenceTests {

    @Test
    void readsAHuggingFaceReferenceAndKnowsWhereToDownloadAndCacheIt() {
        var reference = (ModelReference.HuggingFace) ModelReference.parse(ModelProperties.DEFAULT_MODEL);

        assertThat(reference).isEqualTo(new ModelReference.HuggingFace("Qwen", "Qwen2.5-0.5B-Instruct-GGUF",
                "qwen2.5-0.5b-instruct-q8_0.gguf"));
        assertThat(reference.downloadUri(URI.create("https://huggingface.co"))).hasToString(
                "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q8_0.gguf");
        assertThat(reference.cachePath(Path.of("data/models"))).isEqualTo(
                Path.of("data/models/Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf"));
        assertThat(reference).hasToString(ModelProperties.DEFAULT_MODEL);
    }

    @Test
    void keepsSubdirectoriesOfTheRepositoryInTheFilePath() {
        assertThat(ModelReference.parse("hf:org/repo/q8/model.gguf"))
                .isEqualTo(new ModelReference.HuggingFace("org", "repo", "q8/model.gguf"));
    }

    @Test
    void readsAPathAsALocalFile() {
        assertThat(ModelReference.parse(" models/qwen.gguf ")).isEqualTo(new ModelReference.LocalFile(Path.of("models/qwen.gguf")));
        assertThat(ModelReference.parse("/srv/models/llama.gguf"))
                .isEqualTo(new ModelReference.LocalFile(Path.of("/srv/models/llama.gguf")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", " None "})
    void readsNoneAsNoModel(String text) {
        assertThat(ModelReference.parse(text)).isInstanceOf(ModelReference.None.class);
    }

    @Test
    void rejectsMalformedReferencesSayingWhatAValidOneLooksLike() {
        assertThatThrownBy(() -> ModelReference.parse("hf:Qwen/model.gguf"))
                .hasMessageContaining("expected hf:owner/repo/file.gguf");
        assertThatThrownBy(() -> ModelReference.parse("hf:Qwen/repo/README.md"))
                .hasMessageContaining("does not name a .gguf file");
        assertThatThrownBy(() -> ModelReference.parse("hf:Qwen/repo/../../etc/passwd.gguf"))
                .hasMessageContaining("unsafe segment");
        assertThatThrownBy(() -> ModelReference.parse("  "))
                .hasMessageContaining("soportemax.model is empty");
    }

    @Test
    void settingsRefuseAMalformedChecksum() {
        assertThatThrownBy(() -> new ModelProperties("none", Path.of("data/models"), "abc", URI.create("https://huggingface.co"),
                java.time.Duration.ofMinutes(1)))
                .hasMessageContaining("soportemax.model-sha256 must be 64 hexadecimal digits");
    }
}
