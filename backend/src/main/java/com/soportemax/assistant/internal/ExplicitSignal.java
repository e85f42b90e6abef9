package com.soportemax.assistant.internal;

import com.soportemax.chat.EscalationReason;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Something in the customer's own words that sends the conversation to a person whatever the knowledge base says:
 * asking for a person, anger or a legal threat, asking us to act on their account (a request, not a question about
 * how to do it), or an attempt to make the assistant break its instructions. Spanish (Spain and Latin America) and
 * English as customers type them: read through {@link CustomerText} (no accents, chat spellings written out).
 * The rules describe the kind of message (an imperative of an account verb, a threat in the first person), not
 * particular sentences.
 */
enum ExplicitSignal {

    INJECTION(EscalationReason.SENSITIVE_TOPIC, "an attempt to change the assistant's instructions", List.of(
            Pattern.compile(" (?:olvida|olvidad|olvide|ignora|ignorad|ignore|omite|forget|disregard|override)\\w* "
                    + "(?:\\w+ ){0,3}(?:instrucciones|instructions|normas|reglas|rules|indicaciones|prompt|directrices) "),
            Pattern.compile(" (?:prompt|mensaje|instrucciones|instructions|message) (?:de |del |of the )?(?:sistema|system) "),
            Pattern.compile(" system prompt "),
            Pattern.compile(" (?:eres|sois|you are|act as|actua como|finge ser|pretend to be|now you are) "
                    + "(?:\\w+ ){0,2}(?:dan|jailbreak|sin restricciones|unrestricted|sin filtros|unfiltered) "),
            Pattern.compile(" (?:modo|mode) (?:administrador|admin|desarrollador|developer|dios|god|sin restricciones|debug) "),
            Pattern.compile(" (?:admin|developer|administrator|debug) mode "),
            Pattern.compile(" (?:nota interna|internal note|note to the assistant|mensaje para el asistente) "),
            Pattern.compile(" (?:palabra por palabra|word for word|verbatim|literalmente) "),
            Pattern.compile(" (?:texto|text|mensajes?|lo) (?:que )?(?:hay |esta |is |was )?(?:por encima|above) "),
            Pattern.compile(" (?:lo que|todo lo que|what|everything) (?:te|you) (?:dijeron|han dicho|were told|were given) "),
            Pattern.compile(" (?:muestra|muestrame|muestramelo|ensename|revela|revelame|reveal|show|print|repite|repeat|copia)"
                    + "\\w* (?:me )?(?:tus|tu|your|the|el|las|los) (?:\\w+ )?(?:prompt|instrucciones|instructions|configuracion|reglas|rules) ")),
            List.of(Pattern.compile("<\\|[a-z_]+\\|>|\\[/?INST\\]|<<SYS>>|<start_of_turn>|<\\|im_(?:start|end)\\|>"))),

    ASKS_FOR_PERSON(EscalationReason.CUSTOMER_REQUEST, "the customer asks for a person", List.of(
            Pattern.compile(" (?:hablar|habla|hablo|ablar|comunicarme|comunica|comunicas|comunicais|comunicame|comuniqueme|"
                    + "comuniquenme|contactar|atienda|atender) (?:con )?(?:una |un |algun |alguna |el |la )?"
                    + "(?:persona|humano|humana|agente|operador\\w*|asesor\\w*|responsable|emplead\\w*|comercial|"
                    + "companer\\w*|gestor\\w*|encargad\\w*|alguien|supervisor\\w*|tecnico|persona real) "),
            Pattern.compile(" (?:pasame|pasadme|paseme|pasenme|me pasas|me pasais|me pasa|me pasan|ponme|ponedme|pongame|"
                    + "me pones|me poneis) con "),
            Pattern.compile(" (?:persona|personas|gente) (?:real|reales|de verdad|fisica) "),
            Pattern.compile(" carne y hueso "),
            Pattern.compile(" (?:un|una|algun) (?:humano|humana) "),
            Pattern.compile(" no (?:con )?(?:un |una |el )?(?:bot|robot|maquina|chatbot|ia|contestador) "),
            Pattern.compile(" (?:agente|atencion|trato) (?:humano|humana|personal|personalizada) "),
            Pattern.compile(" hay alguien "),
            Pattern.compile(" alguien (?:\\w+ ){0,4}(?:llame|llamen|llamar|llamarme|llamarle|llama|atienda|atender) "),
            Pattern.compile(" (?:llame|llamen|llameis|llamadme|llamame|llameme|llamenme) (?:\\w+ ){0,2}alguien "),
            Pattern.compile(" (?:llamadme|llamame|llameme|llamenme) "),
            Pattern.compile(" (?:talk|speak|chat) (?:to|with) (?:a |an |some |your |a real |a live )?(?:person|human|agent|"
                    + "representative|someone|somebody|operator|manager|supervisor|people) "),
            Pattern.compile(" (?:real|live|human) (?:person|agent|human|representative|people) "),
            Pattern.compile(" (?:call me|have someone call|someone call me|ring me) "),
            Pattern.compile(" not (?:a |with a |to a )?(?:bot|robot|machine) ")),
            List.of()),

    SENSITIVE(EscalationReason.SENSITIVE_TOPIC, "anger or a legal threat", List.of(
            Pattern.compile(" (?:os|les|te|lo|la|los) (?:voy a |vamos a |van a )?(?:denunci|demand|querell)\\w* "),
            Pattern.compile(" (?:denunciare|demandare|denunciaremos|demandaremos|denunciaros|demandaros|denunciarles|demandarles) "),
            Pattern.compile(" (?:pongo|poner|pondre|interpongo|interponer|meto|meter|presento|presentare|voy a poner|voy a presentar) "
                    + "(?:una )?(?:denuncia|demanda|querella) "),
            Pattern.compile(" (?:mi|mis|nuestro|nuestros|nuestra) abogad\\w* "),
            Pattern.compile(" (?:tribunales|tribunal|juzgado|juzgados|via judicial|guardia civil|policia) "),
            Pattern.compile(" (?:ladrones|ladron|sinverguenzas|sinverguenza|estafadores|timadores|chorizos|mafiosos|delincuentes|"
                    + "sinvergonzones|rateros|scammers|thieves|crooks|liars|mentirosos) "),
            Pattern.compile(" (?:estafa|timo|robo|verguenza|fraude|scam|fraud) (?:en toda regla|total|absoluta|absoluto) "),
            Pattern.compile(" (?:esto es|es) (?:una |un )?(?:estafa|timo|robo|verguenza|fraude) "),
            Pattern.compile(" (?:me|nos) (?:habeis|han|has|estais|estan) (?:robado|estafado|timado|robando|estafando|timando) "),
            Pattern.compile(" (?:harto|harta|hartos|hartas|hartisimo|hartisima|indignado|indignada|cabreado|cabreada|"
                    + "furioso|furiosa|encabronado) "),
            Pattern.compile(" (?:os vais a enterar|vais a enterar|se van a enterar|me las vais a pagar) "),
            Pattern.compile(" (?:inaceptable|intolerable|vergonzoso|lamentable|una porqueria|mierda) "),
            Pattern.compile(" (?:my|our) (?:lawyer|attorney|solicitor|lawyers) "),
            Pattern.compile(" (?:sue you|suing|lawsuit|legal action|take you to court|small claims|filing a claim|file a claim against) "),
            Pattern.compile(" (?:furious|outrageous|unacceptable|disgusting|ridiculous|fed up|sick of|worst service|"
                    + "stop wasting my time) ")),
            List.of()),

    ACCOUNT_ACTION(EscalationReason.ACCOUNT_ACTION, "the customer asks us to act on their account", List.of(
            // Imperatives with a pronoun: cambiame, dadme de baja, devuelvanme, subidme, anulamelo...
            Pattern.compile(" (?:" + Verbs.IMPERATIVES + "|da|dad|de|den)(?:me|nos|melo|mela|melos|melas|noslo|nosla|selo|sela) "),
            // Imperatives with "mi": cambia mi, cancelad mi, anule mis; vosotros forms with any article.
            Pattern.compile(" (?:" + Verbs.IMPERATIVES + ") (?:ya |ahora |hoy )?(?:mi|mis) "),
            Pattern.compile(" (?:" + Verbs.VOSOTROS + ") (?:ya |ahora |hoy )?(?:el|la|los|las|este|esta|esa|ese) "),
            // A message that opens with an imperative no noun or third person shares: pon la factura a nombre de…
            Verbs.OPENING_IMPERATIVE,
            // Requests in the present: ¿me lo apuntas? ¿me cambias el IBAN? ¿me podeis dar de baja?
            Pattern.compile(" me (?:lo |la |los |las )?(?:" + Verbs.PRESENT_REQUESTS + ") "),
            Pattern.compile(" (?:me |nos )?(?:puedes|podeis|podrias|podriais|puede|pueden|podria|podrian) (?:" + Verbs.INFINITIVES
                    + ")(?:me|nos|melo|mela) "),
            Pattern.compile(" me (?:puedes|podeis|podrias|podriais|puede|pueden|podria|podrian) (?:" + Verbs.INFINITIVES + ") "),
            Pattern.compile(" (?:quiero|queremos|necesito|exijo|solicito|pido) que (?:me |nos |le )?(?:lo |la )?(?:" + Verbs.SUBJUNCTIVES + ") "),
            Pattern.compile(" (?:quiero|queremos) (?:un |el )?(?:reembolso|abono|devolucion del dinero) "),
            // English: imperatives at the start of a sentence or after please / can you.
            Pattern.compile("(?:^ | \\. | please | i want you to | i need you to | can you | could you | would you | kindly )"
                    + "(?:change|update|cancel|close|delete|remove|increase|decrease|upgrade|downgrade|refund|reverse|"
                    + "waive|switch|transfer|book|schedule|terminate|reset|lower|raise) (?:my|the|our|me|this|it) "),
            Pattern.compile(" (?:refund me|i want a refund|give me a refund|issue a refund|process my refund|delete my data|"
                    + "erase my data|i want my money back) ")),
            // Account data typed into the chat (IBAN, DNI/NIE, a card number) only makes sense when asking for an action.
            List.of(Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?\\d{4}){4,7}\\b|\\b\\d{8} ?[A-HJ-NP-TV-Z]\\b|\\b[XYZ]\\d{7}[A-Z]\\b"
                    + "|\\b(?:\\d{4}[ -]?){3}\\d{4}\\b"
                    // a company's tax number (CIF: organisation letter, 7 digits, control digit or letter)
                    + "|\\b[ABCDEFGHJNPQRSUVW]-?\\d{7}[0-9A-J]\\b")));

    /** A mention of courts or lawyers next to "sin"/"ni"/"no" is a question about avoiding them, not a threat. */
    private static final Pattern NEGATED = Pattern.compile(" (?:sin|ni|no|without|not) (?:\\w+ ){0,4}$");

    private final EscalationReason reason;
    private final String description;
    private final List<Pattern> normalizedPatterns;
    private final List<Pattern> rawPatterns;

    ExplicitSignal(EscalationReason reason, String description, List<Pattern> normalizedPatterns,
                   List<Pattern> rawPatterns) {
        this.reason = reason;
        this.description = description;
        this.normalizedPatterns = normalizedPatterns;
        this.rawPatterns = rawPatterns;
    }

    EscalationReason reason() {
        return reason;
    }

    /**
     * A signal found in a message, with the words that triggered it (normalised). The detail agents read in the
     * queue quotes them with personal data replaced ("12345678Z" becomes {@code <DNI_1>}).
     */
    record Detected(ExplicitSignal signal, String phrase) {
        String detail() {
            return signal.description + " (\"" + com.soportemax.privacy.Redactor.forConversation().redact(phrase.strip())
                    + "\")";
        }
    }

    static Optional<Detected> detect(String message) {
        return detect(CustomerText.of(message));
    }

    /** The first signal in the message, checked in order: injection, person, anger or legal, account action. */
    static Optional<Detected> detect(CustomerText text) {
        for (ExplicitSignal signal : values()) {
            for (Pattern pattern : signal.rawPatterns) {
                Matcher m = pattern.matcher(text.original());
                if (m.find()) return Optional.of(new Detected(signal, m.group()));
            }
            for (Pattern pattern : signal.normalizedPatterns) {
                Matcher m = pattern.matcher(text.normalized());
                while (m.find()) {
                    String before = text.normalized().substring(0, m.start() + 1);
                    if (signal == SENSITIVE && NEGATED.matcher(before).find()) continue;
                    // "cancela la garantía si abro la caja?" asks; "cancela la suscripción" tells
                    if (pattern == Verbs.OPENING_IMPERATIVE && text.original().contains("?")) continue;
                    if (signal == ACCOUNT_ACTION && !pattern.pattern().contains(Verbs.IMPERATIVES)
                            && !pattern.pattern().contains(Verbs.VOSOTROS)
                            && QUESTION_BEFORE.matcher(before).find()) continue;
                    return Optional.of(new Detected(signal, m.group()));
                }
            }
        }
        if (text.shouting() > 0.7 && text.words().size() >= 4) {
            return Optional.of(new Detected(SENSITIVE, "written in capitals"));
        }
        return Optional.empty();
    }

    /**
     * "¿En cuánto tiempo me devolvéis lo que sobra?" asks how a process works: a question word before a request in
     * the present (not before an imperative) makes it a question.
     */
    private static final Pattern QUESTION_BEFORE = Pattern.compile(
            " (?:cuanto|cuanta|cuantos|cuantas|cuando|como|donde|cual|cuales|quien|how|when|where|what) (?:[^.]*)$");
    
    /** Account verbs in the forms that ask someone to do something (tú, vosotros, usted, ustedes). */
    private static final class Verbs {
        static final String IMPERATIVES = String.join("|",
                "cambia", "cambiad", "cambie", "cambien", "sube", "subid", "suba", "suban", "baja", "bajad", "baje",
                "bajen", "anula", "anulad", "anule", "anulen", "cancela", "cancelad", "cancele", "cancelen", "borra",
                "borrad", "borre", "borren", "elimina", "eliminad", "elimine", "eliminen", "quita", "quitad", "quite",
                "quiten", "pon", "poned", "ponga", "pongan", "devuelve", "devolved",
                "devuelva", "devuelvan", "reembolsa", "reembolsad", "reembolse", "tramita", "tramitad", "tramite",
                "apunta", "apuntad", "apunte", "activa", "activad", "active", "desactiva", "desactivad", "desactive",
                "cierra", "cerrad", "cierre", "cierren", "modifica", "modificad", "modifique", "actualiza",
                "actualizad", "actualice", "abona", "abonad", "abone", "rebaja", "rebajad", "rebaje", "amplia",
                "ampliad", "amplie", "domicilia", "domiciliad", "domicilie", "aplica", "aplicad", "aplique",
                "haz", "haced", "haga", "hagan", "manda", "mandad", "mande", "envia", "enviad", "envie", "reserva",
                "reservad", "reserve", "agenda", "programa", "programad", "renueva", "renovad", "renueve");
        /** Singular imperatives that are not also a noun or a third person present ("baja", "cambia", "sube" are). */
        static final String UNAMBIGUOUS_IMPERATIVES = String.join("|",
                "pon", "ponga", "haz", "haga", "anula", "anule", "cancela", "cancele", "borra", "borre", "elimina",
                "elimine", "quita", "quite", "tramita", "tramite", "apunta", "apunte", "desactiva", "desactive",
                "modifica", "modifique", "actualiza", "actualice", "domicilia", "domicilie", "devuelve", "devuelva",
                "reembolsa", "reembolse", "renueva", "renueve");
        static final Pattern OPENING_IMPERATIVE = Pattern.compile("^ (?:" + UNAMBIGUOUS_IMPERATIVES
                + ") (?:ya |ahora |hoy )?(?:el|la|los|las|este|esta|esa|ese|mi|mis) ");
        static final String VOSOTROS = String.join("|",
                "cambiad", "subid", "bajad", "anulad", "cancelad", "borrad", "eliminad", "quitad", "poned",
                "devolved", "reembolsad", "tramitad", "apuntad", "activad", "desactivad", "cerrad", "modificad",
                "actualizad", "abonad", "rebajad", "ampliad", "domiciliad", "aplicad", "haced", "mandad", "enviad");
        static final String PRESENT_REQUESTS = String.join("|",
                "apuntas", "apuntais", "tramitas", "tramitais", "cambias", "cambiais", "anulas", "anulais",
                "cancelas", "cancelais", "haces", "haceis", "mandas", "mandais", "envias", "enviais", "pones",
                "poneis", "das de baja", "dais de baja", "devuelves", "devolveis", "subes", "subis", "bajas",
                "bajais", "gestionas", "gestionais", "reservas", "reservais", "programas", "activas", "quitas",
                "quitais", "borras", "borrais", "abonas", "abonais");
        static final String INFINITIVES = String.join("|",
                "cambiar", "subir", "bajar", "anular", "cancelar", "dar de baja", "devolver", "poner", "apuntar",
                "tramitar", "quitar", "borrar", "eliminar", "activar", "desactivar", "modificar", "actualizar",
                "abonar", "reembolsar", "gestionar", "reservar", "programar", "dar");
        static final String SUBJUNCTIVES = String.join("|",
                "cambieis", "cambien", "subais", "suban", "bajeis", "bajen", "anuleis", "anulen", "cancele",
                "canceleis", "cancelen", "deis de baja", "den de baja", "devolvais", "devuelvan", "pongais",
                "pongan", "apunteis", "apunten", "tramiteis", "tramiten", "quiteis", "quiten", "borreis", "borren",
                "elimineis", "eliminen", "activeis", "activen", "abonen", "aboneis", "reembolseis", "reembolsen",
                "hagais", "hagan", "mandeis", "manden", "envieis", "envien");
    }
}
