package com.soportemax.inference.tokenizer;

import com.soportemax.inference.synthetic.SyntheticVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test strings that exercise pre-tokenizers and merges: Spanish, emoji, code, digits, whitespace, long words. */
final class ParitySamples {

    static final List<String> FIXED = List.of(
            "Hola, ¿en qué puedo ayudarte hoy?",
            "¡Gracias por tu paciencia! El envío llegará mañana.",
            "La señora Muñoz pidió información sobre la facturación del año pasado.",
            "Pingüino, cigüeña, acción, canción, corazón, árbol, último, él, tú.",
            "ÑANDÚ ÁRBOL ÉXITO ÍNDICE ÓRBITA ÚLTIMO Ü",
            "¿¡Qué!? ¡¿Cómo?!",
            "I'm sure you've seen they'll do it, we'd know, it's fine, don't.",
            "I'M SURE YOU'VE SEEN THEY'LL DO IT, WE'D KNOW, IT'S FINE, DON'T.",
            "'s 't 're 've 'm 'll 'd 'S 'T 'RE 'Ve 'M 'lL 'D",
            "Emoji: 😀 😃 😄 👍🏽 ❤️ 👨‍👩‍👧‍👦 🇪🇸 🎉🎉🎉",
            "def refund(order_id: int, amount: float) -> bool:\n    return amount > 0\n",
            "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
            "SELECT * FROM pedidos WHERE importe >= 100.50 AND estado = 'pendiente';",
            "{\"ticket\": 1042, \"tags\": [\"envío\", \"facturación\"]}",
            "https://soportemax.example/ayuda?pedido=48213&idioma=es#sección-2",
            "1234567890 12 123 1234 12345 123456 0.5 3,14 1e-9 -42 +7",
            "Pedido nº 0001234, total 1.234,56 € (IVA 21 %).",
            "٣٤٥ ١٢ ۱۲۳ ४२ 五十 Ⅻ ½ ²³",
            "   leading spaces",
            "trailing spaces   ",
            "   ",
            " ",
            "\n",
            "\n\n\n",
            "line one\nline two\r\nline three\n\n\nline four",
            "tabs\tand\t\tmore\t\t\ttabs",
            " \n \n  \t\n",
            "a  b   c    d     e",
            "mixed \u00A0 no-break\u2003em\u3000ideographic",
            "Supercalifragilisticexpialidocious",
            "electroencefalografistaelectroencefalografistaelectroencefalografista",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "Привет, как дела? Γειά σου κόσμε. 你好，世界！ こんにちは。 안녕하세요. مرحبا بالعالم. नमस्ते दुनिया।",
            "café\u0301 naïve résumé coöperate e\u0301",
            "Hello World HELLO world hello WORLD",
            "<|im_start|>user\nhola<|im_end|>",
            "<|im_start|> not a turn <|im_end|>",
            "<tool_call>{\"name\": \"refund\"}</tool_call>",
            "<s>hola</s> mundo",
            "texto<s> después</s>",
            "</s></s>  dos <unk> tres",
            "...!!!???---___===+++***",
            "C:\\Users\\soporte\\Documents\\factura_2024.pdf",
            "email: cliente.ejemplo+soporte@correo.example",
            "#hashtag @mención $100 %50 ^2 &amp; ~tilde |pipe| `code`",
            "\"comillas\" «latinas» “curvas” ‘simples’ — guion — y … puntos",
            "x",
            "ñ",
            "¿",
            "😀",
            "A\tB\nC\rD\u000BE\u000CF",
            "word\n\n  indented\n    more indented",
            "Total:123abc456def7890",
            "tel. +34 600 123 456 / 941-22-33-44");

    private static final String[] WORDS = {
            "hola", "gracias", "pedido", "envío", "mañana", "factura", "devolución", "contraseña", "año", "niño",
            "¿cómo", "estás?", "¡hola!", "señor", "información", "atención", "pingüino", "Ñandú", "Árbol", "ÉXITO",
            "order", "refund", "password", "shipping", "customer", "can't", "you're", "I'll", "we've", "it's",
            "😀", "👍", "🎉", "❤️", "🇪🇸", "👩‍💻", "→", "€", "£", "©", "™", "°C", "½",
            "42", "2024", "3.14", "1,000,000", "0001", "99999999", "12:30", "2025-01-15",
            "x=1;", "f(x)", "a[i]", "{}", "=>", "!=", "&&", "||", "<tag>", "</tag>", "#include", "/* */", "//",
            "Привет", "мир", "Γειά", "你好", "世界", "こんにちは", "안녕", "مرحبا", "नमस्ते", "שלום",
            "supercalifragilistic", "anticonstitucionalmente", "electroencefalografista",
            "'s", "'T", "'ll", "'RE", "naïve", "café", "e\u0301", "ß", "İstanbul", "ǅ"};

    private static final String[] SPACES = {" ", " ", " ", " ", "  ", "   ", "\n", "\n\n", "\t", " \n", "\r\n",
            "\u00A0", "\u3000", "", "", ", ", ". ", "! ", "? ", " - "};

    /**
     * Characters for random "soup" strings: every class boundary the pre-tokenizers care about, Unicode whitespace
     * beyond ASCII, digits of other scripts, combining marks, joiners, emoji parts, private-use and unassigned
     * codepoints, ASCII controls.
     */
    private static final int[] SOUP = {
            'a', 'b', 'Z', 'é', 'ñ', 'Ñ', '\'', 's', 'S', 't', 'l', 'L', 'e', 'r', 'v', 'm', 'd', ' ', ' ', ' ', '\n',
            '\r', '\t', 0x0B, 0x0C, 0x1C, 0x1D, 0x1F, 0x85, 0xA0, 0x1680, 0x2000, 0x2009, 0x200A, 0x200B, 0x2028,
            0x2029, 0x202F, 0x205F, 0x3000, '0', '5', '9', 0x0663, 0x0967, 0xFF11, 0x00BD, 0x00B2, 0x2164, '!', '?',
            '.', ',', '-', '_', '$', '+', '<', '=', '>', '^', '~', '|', '`', '¿', '¡', '«', '»', '“', '”', '—', '…',
            '€', '©', 0x0301, 0x0308, 0xFE0F, 0x200D, 0x1F600, 0x1F44D, 0x1F3FD, 0x1F1EA, 'ж', 'λ', '中', 'ア', '한',
            'ع', 'क', 0x0378, 0xE000, 0xFFFD, 0x01C5, 0x02B0, 0x3005, 0x16EE, 0x7F, 0x01, 0x08};

    private ParitySamples() {
    }

    /** Short random strings of {@link #SOUP} characters. */
    static List<String> soup(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> all = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) s.appendCodePoint(SOUP[random.nextInt(SOUP.length)]);
            all.add(s.toString());
        }
        return all;
    }

    /** The fixed strings, then random ones from a seed, {@code count} in all. */
    static List<String> strings(int count, long seed) {
        List<String> all = new ArrayList<>(FIXED);
        for (String line : SyntheticVocabulary.corpus().split("\n")) if (!line.isBlank()) all.add(line);
        SplittableRandom random = new SplittableRandom(seed);
        while (all.size() < count) {
            StringBuilder s = new StringBuilder();
            int words = 1 + random.nextInt(random.nextInt(4) == 0 ? 40 : 10);
            for (int i = 0; i < words; i++) {
                if (random.nextInt(5) == 0) {
                    s.append(randomWord(random));
                } else {
                    s.append(WORDS[random.nextInt(WORDS.length)]);
                }
                s.append(SPACES[random.nextInt(SPACES.length)]);
            }
            if (!s.isEmpty()) all.add(s.toString());
        }
        return all;
    }

    private static String randomWord(SplittableRandom random) {
        String alphabet = "abcdefghijklmnñopqrstuvwxyzáéíóúüABCDEFGHIJKLMNÑOPQRSTUVWXYZÁÉÍÓÚ0123456789'-_.";
        int length = 1 + random.nextInt(random.nextInt(6) == 0 ? 60 : 12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }

    static String escape(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }
}
