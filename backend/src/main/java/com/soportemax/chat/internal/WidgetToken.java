package com.soportemax.chat.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The bearer secret a widget holds for its conversation. Only its SHA-256 hash is stored: the token carries 256
 * random bits, so an unsalted fast hash is enough and lets the hash be looked up directly.
 */
final class WidgetToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WidgetToken() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Hash hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return new Hash(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256", e);
        }
    }

    record Hash(String hex) {

        boolean matches(String storedHex) {
            return MessageDigest.isEqual(hex.getBytes(StandardCharsets.US_ASCII),
                    storedHex.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
