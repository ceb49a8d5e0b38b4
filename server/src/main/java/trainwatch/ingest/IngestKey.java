package trainwatch.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A run-scoped ingest key: 32 random bytes, shown to the creator once. Only its SHA-256 is kept
 * (in ingest.json, never in config.json, which the API serves), and keys are compared by digest in
 * constant time, so neither the disk nor response timing gives a key away.
 */
public final class IngestKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "twk_";

    private IngestKey() {}

    public static String create() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Constant time in the key's content (MessageDigest.isEqual over fixed-length digests). */
    public static boolean matches(String presented, String storedHashHex) {
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
