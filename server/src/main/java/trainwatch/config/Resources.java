package trainwatch.config;

import java.util.regex.Pattern;

/**
 * Run-config key {@code resources: {"cpu": "2", "memory": "4Gi"}}: what a run's Kubernetes Job asks for
 * (requests and limits alike). Quantities in Kubernetes' own notation; null = not set. The local executor
 * ignores it.
 */
public record Resources(String cpu, String memory) {
    public static final Resources NONE = new Resources(null, null);

    /** CPU: cores ("2", "0.5") or millicores ("500m"). */
    static final Pattern CPU = Pattern.compile("([0-9]+(\\.[0-9]+)?|\\.[0-9]+)m?");
    /** Memory: bytes with an optional binary (Ki..Ei) or decimal (k, M..E) suffix ("4Gi", "512Mi", "1G"). */
    static final Pattern MEMORY = Pattern.compile("([0-9]+(\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

    public Resources {
        if (cpu != null && !validCpu(cpu)) throw new IllegalArgumentException("cpu must be a quantity like \"2\" or \"500m\", got " + cpu);
        if (memory != null && !validMemory(memory)) throw new IllegalArgumentException("memory must be a quantity like \"4Gi\", got " + memory);
    }

    public boolean isEmpty() {
        return cpu == null && memory == null;
    }

    static boolean validCpu(String v) {
        return CPU.matcher(v).matches() && positive(v.replace("m", ""));
    }

    static boolean validMemory(String v) {
        var m = MEMORY.matcher(v);
        return m.matches() && positive(m.group(1));
    }

    private static boolean positive(String number) {
        try {
            return Double.parseDouble(number) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
