package com.soportemax.privacy;

import com.soportemax.privacy.internal.MorphologicalAnalyser;
import com.soportemax.privacy.internal.MorphologicalAnalyser.Token;
import com.soportemax.privacy.internal.PrivacySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Given names and surnames as a general Spanish and English lexicon knows them: Apertium's morphological
 * analysers (Debian's {@code apertium-eng-spa}), which tag {@code Pedro} as a given name ({@code <np><ant>}),
 * {@code García} as a surname ({@code <np><cog>}), {@code Madrid} as a place and {@code Rosa} as a noun, an
 * adjective and a given name at once. A {@link Redactor} made with it finds the names no cue announces
 * ("mi marido Pedro García no puede entrar"). Each language's analyser runs as one long-lived process; what it
 * said about a run of capitalised words is remembered. Without Apertium a warning says so once and names are found by
 * their cues only.
 */
@Component
public class NameLexicon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NameLexicon.class);
    /** Finds no name: redactors made with it find names by their cues only. */
    public static final NameLexicon NONE = new NameLexicon(
            new PrivacySettings("none", "lt-proc", Duration.ofSeconds(1), List.of()));

    // What the lexicon says about a word: flags of a byte, one byte per word of a run.
    static final byte GIVEN = 1;
    static final byte SURNAME = 2;
    /** A common noun or adjective ("rosa", "castillo"). */
    static final byte NOUN = 4;
    /** Any other part of speech: verb, interjection, preposition... ("Quiero", "Hola"). */
    static final byte OTHER = 8;
    /** A proper noun that is no person's: a place, an organisation, a brand ("Madrid", "Google"). */
    static final byte PLACE = 16;
    /** An adjective (set with {@link #NOUN}): "Blanco", "Verde". */
    static final byte ADJECTIVE = 32;
    /** A common noun or adjective in English (set with {@link #NOUN}): "Street", "Park". */
    static final byte ENGLISH_COMMON = 64;
    /**
     * Verbs whose subject is a person (saying, asking, calling, writing, wanting, buying…), by lemma: a word that is a
     * given name and a common word, opening a sentence before one of them, is the person ("Pilar llamó", "Rosa me
     * dijo"), where before "funciona", "da", "es" it is the light, the sun, the colour.
     */
    private static final Set<String> PERSON_VERBS = Set.of("decir", "llamar", "telefonear", "escribir", "contar",
            "comentar", "preguntar", "pedir", "avisar", "hablar", "contestar", "responder", "explicar", "solicitar",
            "reclamar", "quejarse", "querer", "necesitar", "saber", "pensar", "creer", "opinar", "comprar", "pagar",
            "contratar", "firmar", "intentar", "vivir", "trabajar", "mandar", "enviar", "recoger", "atender", "ayudar",
            "prometer", "asegurar", "insistir", "olvidar", "recordar",
            "say", "tell", "call", "phone", "ring", "write", "email", "ask", "answer", "reply", "explain", "want",
            "need", "think", "know", "buy", "pay", "order", "sign", "live", "work", "send", "promise", "forget",
            "remember", "complain", "help");

    private static final int REMEMBERED = 50_000;
    /** Runs sent to an analyser in one call. */
    private static final int PER_CALL = 1_000;

    private final PrivacySettings settings;
    private final Set<String> notNames;
    private final List<MorphologicalAnalyser> analysers = new ArrayList<>();
    private volatile Boolean available;
    private final Map<String, byte[]> remembered = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final Map<String, Boolean> rememberedVerbs = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final java.util.function.Supplier<CompanyWords> companyWords;
    private volatile Set<String> companyWordsRead = Set.of();
    private volatile Set<String> companyWordsFolded = Set.of();

    NameLexicon(PrivacySettings settings) {
        this(settings, () -> null);
    }

    @Autowired
    NameLexicon(PrivacySettings settings, org.springframework.beans.factory.ObjectProvider<CompanyWords> companyWords) {
        this(settings, (java.util.function.Supplier<CompanyWords>) companyWords::getIfAvailable);
    }

    /** @param companyWords the company's own lower-case words (null: none), asked for whenever names are looked up */
    NameLexicon(PrivacySettings settings, java.util.function.Supplier<CompanyWords> companyWords) {
        this.companyWords = companyWords;
        this.settings = settings;
        this.notNames = settings.notNames().stream().map(Redactor::fold).collect(Collectors.toUnmodifiableSet());
        if (settings.lexiconFolder().isEmpty()) available = false;
    }

    /** Whether the analysers run (checked once, on first use: a warning says so when they do not). */
    public boolean available() {
        Boolean known = available;
        if (known != null) return known;
        synchronized (this) {
            if (available != null) return available;
            Path folder = settings.lexiconFolder().orElseThrow();
            for (String file : List.of("spa-eng.automorf.bin", "eng-spa.automorf.bin")) {
                Path lexicon = folder.resolve(file);
                if (!MorphologicalAnalyser.installed(lexicon)) continue;
                MorphologicalAnalyser analyser = new MorphologicalAnalyser(settings.ltProc(), lexicon, settings.analysisTimeout());
                if (analyser.analyse(List.of("Pedro")).isPresent()) {
                    analysers.add(analyser);
                } else {
                    analyser.close();
                }
            }
            if (analysers.isEmpty()) {
                log.warn("Apertium's analysers ({} on {}) do not run: people's names are recognised only where a cue"
                        + " announces them (me llamo, a title, a greeting, a signature). Install Debian's"
                        + " apertium-eng-spa or set soportemax.privacy.name-lexicon.", settings.ltProc(), folder);
            }
            available = !analysers.isEmpty();
            return available;
        }
    }

    /** Whether the company said {@code folded} (lower case, no accents) is never a person's name. */
    boolean notAName(String folded) {
        return notNames.contains(folded);
    }

    /** Whether the company's own articles write {@code folded} (lower case, no accents) in lower case somewhere. */
    boolean companyWord(String folded) {
        return companyWords().contains(folded);
    }

    /** The company's lower-case words, folded; read again when the company's texts changed. */
    private Set<String> companyWords() {
        CompanyWords source = companyWords.get();
        if (source == null) return Set.of();
        Set<String> words = source.writtenInLowerCase();
        if (words != companyWordsRead) {
            synchronized (this) {
                if (words != companyWordsRead) {
                    companyWordsFolded = words.stream().map(Redactor::fold).collect(Collectors.toUnmodifiableSet());
                    companyWordsRead = words;
                }
            }
        }
        return companyWordsFolded;
    }

    /**
     * What the lexicons say about each word of each run of words ({@link UncuedNames#words} of the run), the
     * Spanish and the English readings together; a run that could not be analysed is missing from the map.
     */
    Map<String, byte[]> readings(Collection<String> runs) {
        Map<String, byte[]> found = new HashMap<>();
        if (runs.isEmpty() || !available()) return found;
        List<String> missing = new ArrayList<>();
        synchronized (remembered) {
            for (String run : runs) {
                byte[] known = remembered.get(run);
                if (known != null) found.put(run, known);
                else if (!found.containsKey(run)) missing.add(run);
            }
        }
        for (int from = 0; from < missing.size(); from += PER_CALL) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + PER_CALL));
            Analysis analysed = analyse(batch);
            // What only one of the two analysers said is used once, not remembered.
            if (analysed.complete()) {
                synchronized (remembered) {
                    remembered.putAll(analysed.flags());
                }
            }
            found.putAll(analysed.flags());
        }
        return found;
    }

    private record Analysis(Map<String, byte[]> flags, boolean complete) {
    }

    /**
     * Which of these lower-case words are verbs whose subject is a person: a finite form in the third person
     * singular ("llamó", "dijo", "says", "called") of a verb of {@link #PERSON_VERBS}. A word that could not be
     * analysed is no such verb.
     */
    Set<String> personVerbs(Collection<String> words) {
        Set<String> verbs = new java.util.HashSet<>();
        if (words.isEmpty() || !available()) return verbs;
        List<String> missing = new ArrayList<>();
        synchronized (rememberedVerbs) {
            for (String word : words) {
                Boolean known = rememberedVerbs.get(word);
                if (Boolean.TRUE.equals(known)) verbs.add(word);
                else if (known == null && !missing.contains(word)) missing.add(word);
            }
        }
        if (missing.isEmpty()) return verbs;
        Map<String, Boolean> found = new HashMap<>();
        int answered = 0;
        for (MorphologicalAnalyser analyser : analysers) {
            Optional<List<List<Token>>> tokens = analyser.analyse(missing);
            if (tokens.isEmpty()) continue;
            answered++;
            for (int i = 0; i < missing.size(); i++) {
                List<Token> word = tokens.get().get(i);
                boolean verb = !word.isEmpty() && personVerb(word.getFirst());
                found.merge(missing.get(i), verb, Boolean::logicalOr);
            }
        }
        if (answered == analysers.size()) {
            synchronized (rememberedVerbs) {
                rememberedVerbs.putAll(found);
            }
        }
        found.forEach((word, verb) -> {
            if (verb) verbs.add(word);
        });
        return verbs;
    }

    private static boolean personVerb(Token token) {
        if (token.unknown()) return false;
        for (String reading : token.readings()) {
            int tag = reading.indexOf('<');
            if (tag <= 0 || !reading.startsWith("<vb", tag)) continue;
            if (!PERSON_VERBS.contains(reading.substring(0, tag).toLowerCase(java.util.Locale.ROOT))) continue;
            if (reading.contains("<p3><sg>") && !reading.contains("<imp>") || reading.contains("<past>")) return true;
        }
        return false;
    }

    private Analysis analyse(List<String> runs) {
        Map<String, byte[]> flags = new HashMap<>();
        int answered = 0;
        for (MorphologicalAnalyser analyser : analysers) {
            Optional<List<List<Token>>> tokens = analyser.analyse(runs);
            if (tokens.isEmpty()) continue;
            answered++;
            for (int i = 0; i < runs.size(); i++) {
                String run = runs.get(i);
                byte[] words = flags.computeIfAbsent(run, r -> new byte[UncuedNames.words(r).size()]);
                mark(run, tokens.get().get(i), words, analyser.english());
            }
        }
        return new Analysis(answered == 0 ? Map.of() : flags, answered == analysers.size());
    }

    /** ORs each token's flags into the words it covers (a multiword unit like "de la Fuente" covers several). */
    private static void mark(String run, List<Token> tokens, byte[] flags, boolean english) {
        List<int[]> words = UncuedNames.words(run);
        int cursor = 0;
        for (Token token : tokens) {
            int at = run.indexOf(token.surface(), cursor);
            if (at < 0 || token.surface().isEmpty()) continue;
            int end = at + token.surface().length();
            cursor = end;
            byte tokenFlags = flags(token, english);
            for (int w = 0; w < words.size(); w++) {
                if (words.get(w)[0] < end && words.get(w)[1] > at) flags[w] |= tokenFlags;
            }
        }
    }

    private static byte flags(Token token, boolean english) {
        if (token.unknown()) return 0;
        byte flags = 0;
        for (String reading : token.readings()) {
            int tag = reading.indexOf('<');
            if (tag < 0) continue;
            int close = reading.indexOf('>', tag);
            String first = reading.substring(tag + 1, close);
            if (first.equals("np")) {
                int next = reading.indexOf('<', close);
                String second = next < 0 ? "" : reading.substring(next + 1, reading.indexOf('>', next));
                flags |= switch (second) {
                    case "ant" -> GIVEN;
                    case "cog" -> SURNAME;
                    default -> PLACE;
                };
            } else if (first.equals("n") || first.equals("adj")) {
                flags |= NOUN;
                if (first.equals("adj")) flags |= ADJECTIVE;
                if (english) flags |= ENGLISH_COMMON;
            } else {
                flags |= OTHER;
            }
        }
        return flags;
    }

    @Override
    public void close() {
        synchronized (this) {
            analysers.forEach(MorphologicalAnalyser::close);
        }
    }

    @Override
    public String toString() {
        return settings.lexiconFolder().map(Path::toString).orElse("none");
    }
}
