package com.soportemax.assistant.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message that asks the assistant for its advice or opinion: to recommend something, to say which of two
 * options is better, whether something is worth it. A help centre states facts about the company's own services;
 * it does not choose a customer's heat pump brand, phone or investments. Such a message is answered from the
 * knowledge base only when the passage found holds what it asks about (the company's own tariffs, plans, options);
 * otherwise retrieval's best passage is a neighbour that shares a word or two, and the message goes to a person.
 * Read through {@link CustomerText} (no accents, chat spellings written out), Spanish and English.
 */
final class AdviceRequest {

    /**
     * Share of the question's topic words (weighted by how rare they are) that the best passage must hold for an
     * advice request to be answered from it: below it, what the customer asks about is not in that passage.
     */
    static final double MIN_COVERAGE = 0.5;

    private static final List<Pattern> PHRASES = List.of(
            // me recomiendas, nos aconsejáis, ¿qué me sugieres?, recomendarías
            Pattern.compile(" (?:recomiend|recomend|aconsej|sugier|suger)(?:as|ais|a|an|es|eis|arias|ariais|aria|"
                    + "arian|erias|eriais|eria|erian|is) "),
            // ¿qué móvil es mejor…?, ¿cuál tiene mejor cámara?, ¿cuál me conviene más, A o B?
            Pattern.compile(" (?:que|cual|cuales) (?:\\w+ ){0,3}(?:es|son|seria|serian|sera|tiene|tienen) "
                    + "(?:el |la |los |las )?(?:mejor|mejores|peor|peores) "),
            // ¿merece la pena…?, ¿vale la pena…?
            Pattern.compile(" (?:merece|merecera|mereceria|vale|valdra|valdria) (?:la |realmente la )?pena "),
            // ¿qué opinas de…?, ¿tú qué harías?, en tu opinión
            Pattern.compile(" (?:que|como) (?:opinas|opinais|piensas|pensais|harias|hariais|haces tu) "),
            Pattern.compile(" (?:tu|vuestra|su) opinion "),
            Pattern.compile(" (?:do|would|can|could) you (?:\\w+ )?(?:recommend|suggest|advise) "),
            Pattern.compile(" (?:recommend|recommendation|recommendations) "),
            Pattern.compile(" (?:which|what) (?:\\w+ ){0,4}(?:is|are|has|have) (?:the )?(?:better|best|worse) "),
            Pattern.compile(" (?:is|would) it (?:be )?worth "),
            Pattern.compile(" (?:what do you think|your opinion|what would you do) "));

    private AdviceRequest() {
    }

    /**
     * The words that ask for advice, when the message asks for it and its best passage holds less than
     * {@link #MIN_COVERAGE} of what it asks about ({@code coverage}, see {@code Retrieval.coverage}): such advice is
     * not the knowledge base's to give. Empty for any other message.
     */
    static Optional<String> notCovered(CustomerText text, double coverage) {
        if (coverage >= MIN_COVERAGE) return Optional.empty();
        return phrase(text);
    }

    /** The words that ask for advice, when the message has them. */
    static Optional<String> phrase(CustomerText text) {
        for (Pattern pattern : PHRASES) {
            Matcher m = pattern.matcher(text.normalized());
            if (m.find()) return Optional.of(m.group().strip());
        }
        return Optional.empty();
    }
}
