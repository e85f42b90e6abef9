package com.soportemax.privacy.internal;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code soportemax.privacy.*}: how people's names are found in texts that leave the platform.
 *
 * @param nameLexicon     the folder of Apertium's English-Spanish pair (Debian's {@code apertium-eng-spa}), whose
 *                        Spanish and English analysers ({@code spa-eng.automorf.bin}, {@code eng-spa.automorf.bin})
 *                        tell given names and surnames; {@code none} finds names only by their cues ("me llamo",
 *                        a title, a greeting, a signature)
 * @param ltProc          Apertium's {@code lt-proc} program (on the path, or a file)
 * @param analysisTimeout the longest one call to an analyser may take before the text is redacted without it
 * @param notNames        words never taken for a person's name although the lexicon knows them as one: the
 *                        company's products and brands (e.g. {@code Alexa}, {@code Zara}), compared without case or
 *                        accents
 */
@Validated
@ConfigurationProperties("soportemax.privacy")
public record PrivacySettings(@NotNull @DefaultValue("/usr/share/apertium/apertium-eng-spa") String nameLexicon,
                              @NotNull @DefaultValue("lt-proc") String ltProc,
                              @NotNull @DefaultValue("2s") Duration analysisTimeout,
                              @NotNull @DefaultValue({}) List<String> notNames) {

    public PrivacySettings {
        if (analysisTimeout != null && (analysisTimeout.isNegative() || analysisTimeout.isZero())) {
            throw new IllegalArgumentException("soportemax.privacy.analysis-timeout must be positive");
        }
        notNames = notNames == null ? List.of() : List.copyOf(notNames);
    }

    /** The lexicons' folder, or empty for none. */
    public java.util.Optional<Path> lexiconFolder() {
        return nameLexicon.isBlank() || nameLexicon.equalsIgnoreCase("none") ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(nameLexicon));
    }
}
