package trainwatch.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** 256-bit random secrets (tokens, session ids) and their SHA-256, compared in constant time. */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    static String random(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    static boolean matches(String presented, String storedHex) {
        if (presented == null || storedHex == null) return false;
        try {
            return MessageDigest.isEqual(sha256(presented), HexFormat.of().parseHex(storedHex));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
