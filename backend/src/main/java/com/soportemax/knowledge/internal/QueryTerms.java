package com.soportemax.knowledge.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of a customer's question that can tell articles apart: lower case, accents removed (as the passages'
 * search columns are), letters and digits only, without the greetings and request phrasing every question carries.
 * The database's own stop-word lists drop the rest of the function words.
 */
final class QueryTerms {

    static final int MAX_TERMS = 16;
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Words of chat phrasing ("hola, quería saber si puedo…") that say nothing about the topic. */
    private static final Set<String> PHRASING = Set.of(
            // Spanish
            "hola", "buenas", "buenos", "dias", "tardes", "noches", "gracias", "favor", "porfa", "saludos",
            "quiero", "queria", "quisiera", "necesito", "necesitaria", "puedo", "podria", "podrian", "puede", "pueden",
            "poder", "saber", "hacer", "hago", "tengo", "tener", "ayuda", "ayudar", "ayudame", "ayudarme", "gustaria",
            "duda", "dudas", "pregunta", "consulta", "alguien", "cual", "cuales", "cuanto", "cuanta", "cuantos",
            "cuantas", "donde", "cuando", "como", "deberia", "debo", "hay", "algo", "vale", "bueno", "acuerdo", "pasa",
            "hice", "hizo", "ayer", "hoy", "manana", "llevo", "lleva", "semana", "semanas", "mes", "meses", "esperando",
            "espero", "todavia", "aun", "tiempo", "pido", "mismo", "misma", "ahora", "nada", "sigue", "sigo", "dice",
            "sale", "algun", "alguna", "alguno", "cuento", "cuenten",
            "tiendamax", "soportemax",
            // English
            "hello", "thanks", "thank", "please", "want", "need", "can", "could", "would", "know", "help", "does",
            "how", "what", "where", "when", "which", "get", "long", "take", "takes", "much", "many", "there");

    private QueryTerms() {
    }

    static List<String> of(String query) {
        if (query == null) {
            return List.of();
        }
        String folded = TextAnalysis.folded(query);
        Set<String> terms = new LinkedHashSet<>();
        for (String word : NOT_WORD.split(folded)) {
            if (word.length() >= 3 && !PHRASING.contains(word) && terms.size() < MAX_TERMS) {
                terms.add(word);
            }
        }
        return List.copyOf(terms);
    }
}
