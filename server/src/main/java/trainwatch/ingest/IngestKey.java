package trainwatch.ingest;

import trainwatch.auth.Secrets;

/**
 * A run-scoped ingest key: 32 random bytes, shown to the creator once. Only its SHA-256 is kept
 * (in ingest.json, never in config.json, which the API serves), compared in constant time (Secrets).
 */
public final class IngestKey {
    static final String PREFIX = "twk_";

    private IngestKey() {}

    public static String create() {
        return Secrets.random(PREFIX);
    }

    public static String hash(String key) {
        return Secrets.sha256Hex(key);
    }

    public static boolean matches(String presented, String storedHashHex) {
        return Secrets.matches(presented, storedHashHex);
    }
}
