package com.soportemax.knowledge.internal;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.SpanishStemmer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How retrieval reads text, articles and questions alike: words (Unicode word breaks), lower case, accents and ñ
 * folded (customers often type neither), then per language the words of chat writing spelt out ("q", "xq", "tb"),
 * stop words dropped (function words, question words, greetings, request phrasing) and the rest stemmed (Snowball
 * Spanish and English), so "cobráis", "cobrado" and "cobrar" are one term.
 * <p>
 * Snowball's Spanish stemmer reads accents: "facturación" becomes "factur" but "facturacion" stays whole. Since
 * every word is folded first, the accents of the few Spanish endings the stemmer needs are put back in a fixed way
 * ("-cion" → "-ción", "-ais" → "-áis"...), the same for articles and questions, so both forms meet. A Spanish
 * stem's final z is written c, as its plural writes it ("luz" and "luces", "vez" and "veces" meet).
 */
final class TextAnalysis {

    enum Language {
        ES, EN;

        static Language of(String code) {
            return code != null && code.toLowerCase(Locale.ROOT).startsWith("en") ? EN : ES;
        }

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Analyzer WORDS = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer tokenizer = new StandardTokenizer();
            TokenStream stream = new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer));
            return new TokenStreamComponents(tokenizer, stream);
        }
    };

    /**
     * Spanish chat spellings and abbreviations (general Spanish, nothing of any company), as the word they stand
     * for; several words may stand for one ("finde").
     */
    private static final Map<String, String> SPANISH_CHAT = Map.ofEntries(
            Map.entry("q", "que"), Map.entry("k", "que"), Map.entry("ke", "que"), Map.entry("qe", "que"),
            Map.entry("xq", "porque"), Map.entry("pq", "porque"), Map.entry("porq", "porque"),
            Map.entry("porke", "porque"), Map.entry("xk", "porque"), Map.entry("x", "por"), Map.entry("xa", "para"),
            Map.entry("pa", "para"), Map.entry("d", "de"), Map.entry("tb", "tambien"), Map.entry("tmb", "tambien"),
            Map.entry("tbn", "tambien"), Map.entry("tambn", "tambien"), Map.entry("porfa", "favor"),
            Map.entry("xfa", "favor"), Map.entry("xfavor", "favor"), Map.entry("plis", "favor"),
            Map.entry("pls", "favor"), Map.entry("dnd", "donde"), Map.entry("cdo", "cuando"),
            Map.entry("qdo", "cuando"), Map.entry("kien", "quien"), Map.entry("kiero", "quiero"),
            Map.entry("kieres", "quieres"), Map.entry("kiere", "quiere"), Map.entry("aki", "aqui"),
            Map.entry("msj", "mensaje"), Map.entry("msg", "mensaje"), Map.entry("mje", "mensaje"),
            Map.entry("tlf", "telefono"), Map.entry("tlfn", "telefono"), Map.entry("tlfno", "telefono"),
            Map.entry("telf", "telefono"), Map.entry("tel", "telefono"), Map.entry("cel", "celular"),
            Map.entry("info", "informacion"), Map.entry("num", "numero"), Map.entry("dto", "descuento"),
            Map.entry("dcto", "descuento"), Map.entry("finde", "fin semana"), Map.entry("mñn", "manana"),
            Map.entry("bn", "bien"), Map.entry("tmp", "tampoco"), Map.entry("tp", "tampoco"),
            Map.entry("ntp", "tranquilo"), Map.entry("salu2", "saludos"), Map.entry("grax", "gracias"),
            Map.entry("grs", "gracias"), Map.entry("xo", "pero"), Map.entry("sq", "porque"), Map.entry("cm", "como"),
            Map.entry("ola", "hola"), Map.entry("wenas", "buenas"), Map.entry("tdo", "todo"),
            Map.entry("tds", "todos"), Map.entry("hr", "hora"), Map.entry("hrs", "horas"), Map.entry("min", "minutos"),
            Map.entry("seg", "segundos"), Map.entry("dr", "doctor"), Map.entry("cia", "compania"));

    private static final Map<String, String> ENGLISH_CHAT = Map.ofEntries(
            Map.entry("u", "you"), Map.entry("ur", "your"), Map.entry("r", "are"), Map.entry("pls", "please"),
            Map.entry("plz", "please"), Map.entry("thx", "thanks"), Map.entry("ty", "thanks"),
            Map.entry("im", "i"), Map.entry("dont", "do"), Map.entry("cant", "can"), Map.entry("wont", "will"),
            Map.entry("msg", "message"), Map.entry("acct", "account"), Map.entry("info", "information"),
            Map.entry("asap", "soon"), Map.entry("b4", "before"), Map.entry("2day", "today"));

    /**
     * Words that say nothing about what the customer needs, beyond each language's function words: question words,
     * greetings and thanks, request phrasing ("quería saber si puedo…"), filler.
     */
    private static final Set<String> SPANISH_EXTRA_STOP = Set.copyOf(List.of(
            "hola", "buenas", "buenos", "buen", "dia", "dias", "tarde", "tardes", "noche", "noches", "gracias",
            "favor", "saludos", "saludo", "adios", "chao", "vale", "ok", "okey", "bueno", "pues", "mira", "oye", "oiga",
            "eh", "ah", "jaja", "jajaja", "jeje", "xd", "porfavor", "hey", "venga",
            "que", "porque", "por", "para", "si", "no", "tambien", "tampoco", "aqui", "ahi", "alli", "aca",
            "quiero", "quieres", "quiere", "queria", "quisiera", "quisieramos", "necesito", "necesitaria", "necesita",
            "puedo", "puedes", "puede", "podemos", "podeis", "pueden", "podria", "podrias", "podriais", "podrian",
            "poder", "saber", "sabe", "sabes", "se", "hacer", "hago", "hace", "haceis", "hacen", "tengo", "tienes",
            "tiene", "tenemos", "teneis", "tienen", "tener", "ayuda", "ayudar", "ayudame", "ayudarme", "ayudais",
            "gustaria", "duda", "dudas", "pregunta", "preguntar", "consulta", "consultar", "alguien", "algo", "nada",
            "hay", "habia", "deberia", "debo", "debe", "vosotros", "vosotras", "ustedes", "usted", "os", "les", "le",
            "me", "mi", "mis", "te", "tu", "tus", "lo", "la", "los", "las", "un", "una", "unos", "unas", "esto",
            "eso", "este", "esta", "ese", "esa", "ya", "aun", "todavia", "ahora", "ahorita", "entonces", "asi",
            "muy", "mucho", "mucha", "muchos", "muchas", "poco", "poca", "mas", "menos", "vez", "veces", "algun",
            "alguna", "alguno", "algunos", "algunas", "cosa", "cosas", "explicar", "explicais", "decir", "decis",
            "dice", "dicen", "dijeron", "hola", "estoy", "estamos", "estais", "estan", "estar", "he", "hemos",
            "habeis", "han", "ha", "has", "era", "fue", "ser", "soy", "eres", "es", "somos", "sois", "son", "voy",
            "vas", "va", "vamos", "vais", "van", "mismo", "misma", "otra", "otro", "otras", "otros", "tan", "tanto",
            "igual", "casi", "solo", "bien", "mal", "pasa", "pasar", "sale", "salen", "dar", "dais", "claro", "acuerdo",
            "acuerdas", "recuerdo", "hice", "hizo", "hicimos", "hicieron", "ayer", "hoy", "anteayer", "antesdeayer",
            "llevo", "llevamos", "sigo", "sigue", "seguimos", "pone", "ponia", "sabeis", "sabia", "creo", "parece",
            // asking for advice: how the customer asks ("¿qué tarifa me recomendáis?"), not what about
            "recomiendas", "recomendais", "recomienda", "recomiendan", "recomendarias", "recomendariais",
            "recomendaria", "recomendarian", "aconsejas", "aconsejais", "aconseja", "aconsejarias", "sugieres",
            "sugeris", "sugiere", "mejor", "mejores", "peor", "peores", "merece", "pena", "opinas", "opinais",
            "opinion", "piensas"));

    private static final Set<String> ENGLISH_EXTRA_STOP = Set.copyOf(List.of(
            "hello", "hi", "hey", "thanks", "thank", "please", "cheers", "ok", "okay", "dear", "regards",
            "whom", "whose", "can", "could", "would", "should",
            "do", "does", "did", "done", "i", "me", "my", "mine", "you", "your", "yours", "we", "our", "us", "am",
            "get", "got", "want", "wanted", "need", "needs", "know", "help", "is", "are", "was", "were", "have", "has",
            "had", "will", "shall", "may", "might", "must", "just", "also", "still", "any", "some", "anything",
            "something", "someone", "anyone", "there", "here", "much", "many", "very", "really", "so", "too",
            "it", "its", "it's", "i'm", "i've", "i'd", "im", "ive", "it'll", "don't", "doesn't", "can't", "cannot",
            "able", "wondering", "question", "let", "tell", "explain", "like", "make", "go", "going", "way", "thing",
            "things", "then", "now", "yes", "no", "not", "one",
            // asking for advice ("which plan do you recommend?")
            "recommend", "recommended", "recommendation", "recommendations", "suggest", "advise", "better", "best",
            "worse", "worth", "opinion", "think"));

    /**
     * Question words: kept, but weak. They tell little in a question ("¿cómo…?") yet match the titles written as
     * questions ("Seguimiento del pedido: dónde está mi paquete").
     */
    private static final Set<String> QUESTION_WORDS = Set.of("como", "donde", "cuando", "cuanto", "cuanta",
            "cuantos", "cuantas", "cual", "cuales", "quien", "quienes", "how", "what", "where", "when", "which", "who",
            "why");

    private static final Set<String> SPANISH_STOP = stopWords(SpanishAnalyzer.getDefaultStopSet(), SPANISH_EXTRA_STOP);
    private static final Set<String> ENGLISH_STOP = stopWords(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET,
            ENGLISH_EXTRA_STOP);
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NUMBER = Pattern.compile("[\\d.,:/-]+");

    private static final ThreadLocal<SnowballStemmer> SPANISH_STEMMER = ThreadLocal.withInitial(SpanishStemmer::new);
    private static final ThreadLocal<SnowballStemmer> ENGLISH_STEMMER = ThreadLocal.withInitial(EnglishStemmer::new);

    private TextAnalysis() {
    }

    /** The words of {@code text}: lower case, accents and ñ folded, in order. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null || text.isEmpty()) return words;
        try (TokenStream stream = WORDS.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                words.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading text from memory failed", e);
        }
        return words;
    }

    /**
     * The words of {@code text} that can say what it is about, in order, repeats kept: chat spellings spelt out,
     * stop words and one-letter words dropped. Not stemmed (spelling correction compares these).
     */
    static List<String> topicWords(String text, Language language) {
        Map<String, String> chat = language == Language.ES ? SPANISH_CHAT : ENGLISH_CHAT;
        Set<String> stop = language == Language.ES ? SPANISH_STOP : ENGLISH_STOP;
        List<String> topic = new ArrayList<>();
        for (String word : words(text)) {
            String spelt = chat.getOrDefault(word, word);
            for (String part : spelt.split(" ")) {
                if (part.length() < 2 || stop.contains(part)) continue;
                if (part.length() > 40) part = part.substring(0, 40);
                topic.add(part);
            }
        }
        return topic;
    }

    /**
     * {@code text} with its chat spellings written out ("q" → "que", "xq" → "porque"), everything else as typed: what a
     * translator or an embedding model reads, which know the written language and not its chat shorthand.
     */
    static String spelledOut(String text, Language language) {
        if (text == null || text.isEmpty()) return "";
        Map<String, String> chat = language == Language.ES ? SPANISH_CHAT : ENGLISH_CHAT;
        Matcher word = CHAT_WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (word.find()) {
            String folded = word.group().toLowerCase(Locale.ROOT);
            String spelt = chat.get(folded);
            if (spelt == null && language == Language.ES && folded.equals(word.group())) spelt = accented(folded);
            word.appendReplacement(out, Matcher.quoteReplacement(spelt != null ? spelt : word.group()));
        }
        word.appendTail(out);
        return out.toString();
    }

    /**
     * The written accent of Spanish endings that always carry one, where chat leaves it out: the second person plural
     * of verbs ("podeis" → "podéis", "cobrais" → "cobráis") and nouns in -ción/-sión; null when nothing changes.
     */
    private static String accented(String word) {
        int n = word.length();
        if (n < 5) return null;
        if (word.endsWith("cion") || word.endsWith("sion")) return word.substring(0, n - 2) + "ón";
        if (word.endsWith("ais")) return word.substring(0, n - 3) + "áis";
        if (word.endsWith("eis")) return word.substring(0, n - 3) + "éis";
        return null;
    }

    private static final Pattern CHAT_WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** The term a (folded) word is indexed and searched under. */
    static String stem(String word, Language language) {
        if (isNumber(word)) return word;
        SnowballStemmer stemmer = (language == Language.ES ? SPANISH_STEMMER : ENGLISH_STEMMER).get();
        stemmer.setCurrent(language == Language.ES ? restoreSpanishEndings(word) : word);
        stemmer.stem();
        String stem = stemmer.getCurrent();
        if (language == Language.ES && stem.length() > 2 && stem.endsWith("z")) {
            stem = stem.substring(0, stem.length() - 1) + 'c';
        }
        return MARKS.matcher(Normalizer.normalize(stem, Normalizer.Form.NFD)).replaceAll("");
    }

    /** The stemmed topic terms of {@code text}, in order, repeats kept (term frequencies for indexing). */
    static List<String> terms(String text, Language language) {
        List<String> words = topicWords(text, language);
        List<String> terms = new ArrayList<>(words.size());
        for (String word : words) {
            terms.add(stem(word, language));
        }
        return terms;
    }

    static boolean isNumber(String word) {
        return NUMBER.matcher(word).matches();
    }

    /** Accents the Spanish stemmer needs on a folded word's ending (see the class comment). */
    static String restoreSpanishEndings(String word) {
        int n = word.length();
        if (n < 5) return word;
        if (word.endsWith("cion")) return word.substring(0, n - 4) + "ción";
        if (word.endsWith("sion")) return word.substring(0, n - 4) + "sión";
        if (word.endsWith("ais")) return word.substring(0, n - 3) + "áis";
        if (word.endsWith("eis")) return word.substring(0, n - 3) + "éis";
        if (word.endsWith("ias") && isConsonant(word.charAt(n - 4))) return word.substring(0, n - 3) + "ías";
        if (word.endsWith("ia") && isConsonant(word.charAt(n - 3))) return word.substring(0, n - 2) + "ía";
        return word;
    }

    private static boolean isConsonant(char c) {
        return c >= 'a' && c <= 'z' && "aeiou".indexOf(c) < 0;
    }

    private static Set<String> stopWords(CharArraySet base, Set<String> extra) {
        Set<String> words = new HashSet<>(functionWords(base, extra));
        words.removeAll(QUESTION_WORDS);
        return Set.copyOf(words);
    }

    /**
     * The language a text is written in, by which language's function words it uses more (words both share, such as
     * "a", "no", "me", count for neither); Spanish on a tie. Reliable on articles and on questions of a few words
     * ("can I pay by card" is English, "se puede pagar con tarjeta" Spanish).
     */
    static Language detect(String text) {
        int[] counts = functionWordCounts(text);
        return counts[1] > counts[0] ? Language.EN : Language.ES;
    }

    /** The language of a text when its function words say so clearly (at least two, twice the other's); else null. */
    static Language clearLanguage(String text) {
        int[] counts = functionWordCounts(text);
        int spanish = counts[0];
        int english = counts[1];
        if (english >= 2 && english >= 2 * spanish) return Language.EN;
        if (spanish >= 2 && spanish >= 2 * english) return Language.ES;
        return null;
    }

    /** How many of the text's words are function words of Spanish only and of English only: {spanish, english}. */
    private static int[] functionWordCounts(String text) {
        int spanish = 0;
        int english = 0;
        for (String word : words(text)) {
            boolean es = SPANISH_FUNCTION.contains(word);
            boolean en = ENGLISH_FUNCTION.contains(word);
            if (es && !en) spanish++;
            if (en && !es) english++;
        }
        return new int[] {spanish, english};
    }

    private static final Set<String> SPANISH_FUNCTION = functionWords(SpanishAnalyzer.getDefaultStopSet(),
            Set.of("q", "xq", "pq", "tb", "hola", "gracias", "quiero", "tengo", "puedo"));
    private static final Set<String> ENGLISH_FUNCTION = functionWords(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET,
            Set.of("i", "my", "you", "your", "we", "our", "me", "can", "could", "would", "do", "does", "did", "have",
                    "has", "what", "how", "when", "where", "which", "who", "why", "from", "about", "hello", "thanks",
                    "please", "want", "need", "i'm", "im", "don't", "dont", "it's", "is", "are", "was", "were"));

    private static Set<String> functionWords(CharArraySet base, Set<String> extra) {
        Set<String> words = new HashSet<>(extra);
        for (Object word : base) {
            words.addAll(TextAnalysis.words(word instanceof char[] chars ? new String(chars) : word.toString()));
        }
        return Set.copyOf(words);
    }

    /** {@code text} in lower case with its accents and other marks removed ("Envío" → "envio"). */
    static String folded(String text) {
        return MARKS.matcher(Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("");
    }

    static boolean isQuestionWord(String word) {
        return QUESTION_WORDS.contains(word);
    }

    static Set<String> stopWords(Language language) {
        return language == Language.ES ? SPANISH_STOP : ENGLISH_STOP;
    }

}
