package trainwatch.run.kubernetes;

import trainwatch.auth.Secrets;

/**
 * The key a check's Job reports with: 32 random bytes, handed over once in the check's Secret. Only its
 * SHA-256 is kept (in runs/&lt;id&gt;/check-&lt;name&gt;.kubernetes.json, for a restart), compared in constant
 * time (Secrets). It can report that one check of that one run, and nothing else.
 */
final class CheckKey {
    private CheckKey() {}

    static String create() {
        return Secrets.random("twc_");
    }

    static String hash(String key) {
        return Secrets.sha256Hex(key);
    }

    static boolean matches(String presented, String storedHashHex) {
        return Secrets.matches(presented, storedHashHex);
    }
}
