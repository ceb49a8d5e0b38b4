package trainwatch.run.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The key a check's Job reports with: 32 random bytes, handed over once in the check's Secret. Only its
 * SHA-256 is kept (in runs/&lt;id&gt;/check-&lt;name&gt;.kubernetes.json, for a restart), compared in constant
 * time. It can report that one check of that one run, and nothing else.
 */
final class CheckKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CheckKey() {}

    static String create() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "twc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static boolean matches(String presented, String storedHashHex) {
        if (presented == null || storedHashHex == null) return false;
        byte[] want;
        try {
            want = HexFormat.of().parseHex(storedHashHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), want);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
