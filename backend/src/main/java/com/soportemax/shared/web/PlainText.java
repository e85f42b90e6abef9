package com.soportemax.shared.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestContextHolder;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text that people send (JSON strings in API requests) is plain text: control characters other than line breaks
 * and tabs are refused with 400 naming the field (NUL cannot even be stored in PostgreSQL), and the invisible
 * bidirectional embedding, override and isolate controls are removed, so no one can make a message display in an
 * order other than the one it was written in (a "gnp.exe" that is really an "exe.png").
 */
@Configuration(proxyBeanMethods = false)
class PlainText {

    @Bean
    JacksonModule plainTextStrings() {
        SimpleModule module = new SimpleModule("soportemax-plain-text");
        module.addDeserializer(String.class, new PlainTextDeserializer());
        return module;
    }

    /** The offending character's description, or null when the text is acceptable. */
    static String controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                return String.format("contains the control character U+%04X at position %d; send plain text", (int) c, i);
            }
        }
        return null;
    }

    static String withoutBidiControls(String text) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bidi = (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            if (bidi && clean == null) {
                clean = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!bidi && clean != null) {
                clean.append(c);
            }
        }
        return clean == null ? text : clean.toString();
    }

    static final class PlainTextDeserializer extends StdScalarDeserializer<String> {

        PlainTextDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = StringDeserializer.instance.deserialize(parser, context);
            // Only what arrives in an HTTP request: stored events and settings are read back as they were written.
            if (value == null || RequestContextHolder.getRequestAttributes() == null) {
                return value;
            }
            String problem = controlCharacter(value);
            if (problem != null) {
                throw InvalidFormatException.from(parser, problem, value, String.class);
            }
            return withoutBidiControls(value);
        }
    }
}
