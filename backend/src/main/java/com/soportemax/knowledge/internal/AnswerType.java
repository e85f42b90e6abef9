package com.soportemax.knowledge.internal;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of fact a question asks for, when its phrasing says so: a price ("¿cuánto cuesta…?", "how much is…") or a
 * length of time ("¿cuánto tarda…?", "how long…"). The verb of such a phrase says what is asked, not what about:
 * "cuesta" in "¿cuánto cuesta el envío?" is the question, "envío" its topic. Matching the verb itself would rank
 * first any passage that happens to use it ("si el pedido cuesta más que el saldo…", in a gift-card article), so the
 * verb of asking ("cuesta", "vale", "tarda") is not searched; instead the question looks for passages that state that kind of fact (an amount in euros,
 * "gratis"; a number of days or hours), as a search term of its own ({@link #term()}) that the index counts in every
 * passage. A classic step of question answering (the expected answer type), kept to the two kinds support questions
 * ask most and whose answers are easy to recognise.
 */
enum AnswerType {

    PRICE("#price",
            Pattern.compile("\\bcuant[oa]s?\\s+(?:me\\s+|te\\s+|nos\\s+|os\\s+|le\\s+|les\\s+|se\\s+|lo\\s+|la\\s+)?"
                    + "(?:(cuesta|cuestan|costaria|costarian|costara|costaran|vale|valen|valdria)"
                    + "|cobrais|cobrariais|cobrareis|cobran|cobrarian|cobraran|cobra|cobraria)\\b"
                    + "|\\bhow much\\b(?!\\s+(?:time|data|space|memory|storage|longer|more|power|energy))"
                    + "|\\bwhat (?:does|do|would|will) (?:it|that|this|they) cost\\b"),
            Pattern.compile("\\d+(?:[.,]\\d+)?\\s*(?:€|eur\\b|euros?\\b)|€\\s*\\d|\\bgratis\\b|\\bgratuit[oa]s?\\b"
                    + "|\\bsin coste\\b|\\bfree of charge\\b|\\bfor free\\b|\\bis free\\b|\\bare free\\b")),

    DURATION("#duration",
            Pattern.compile("\\bcuanto\\s+(?:tiempo\\s+)?(?:se\\s+|me\\s+|os\\s+|te\\s+|nos\\s+|le\\s+)?"
                    + "(?:(tarda|tardan|tardais|tardara|tardaran|tardaria|tardarian|tardareis)|dura|duran|durara)\\b"
                    + "|\\ben\\s+cuant[oa]s\\s+(?:dias|horas|semanas|meses)\\b"
                    + "|\\bhow long\\b|\\bhow many (?:days|hours|weeks)\\b"),
            Pattern.compile("\\d+\\s*(?:(?:a|o|-|to|or)\\s*\\d+\\s*)?(?:dias|horas|h|semanas|meses|minutos|min"
                    + "|days|hours|weeks|months|minutes)\\b|\\bel mismo dia\\b|\\bsame day\\b"));

    private final String term;
    private final Pattern asked;
    private final Pattern stated;

    AnswerType(String term, Pattern asked, Pattern stated) {
        this.term = term;
        this.asked = asked;
        this.stated = stated;
    }

    /** The search term a passage stating this kind of fact is indexed under: no word can be written like it. */
    String term() {
        return term;
    }

    /** How many facts of this kind the passage's text states. */
    int statedIn(String text) {
        Matcher matcher = stated.matcher(TextAnalysis.folded(text));
        int count = 0;
        while (matcher.find()) count++;
        return count;
    }

    /** What a question asks for, and the verbs of its asking phrase, which are not searched. */
    record Asked(Set<AnswerType> types, Set<String> phrasing) {

        static final Asked NOTHING = new Asked(Set.of(), Set.of());
    }

    static Asked of(String question) {
        if (question == null || question.isBlank()) return Asked.NOTHING;
        String folded = TextAnalysis.folded(question);
        Set<AnswerType> types = EnumSet.noneOf(AnswerType.class);
        Set<String> phrasing = new HashSet<>();
        for (AnswerType type : values()) {
            Matcher matcher = type.asked.matcher(folded);
            while (matcher.find()) {
                types.add(type);
                for (int group = 1; group <= matcher.groupCount(); group++) {
                    if (matcher.group(group) != null) phrasing.add(matcher.group(group));
                }
            }
        }
        return types.isEmpty() ? Asked.NOTHING : new Asked(Set.copyOf(types), Set.copyOf(phrasing));
    }

}
