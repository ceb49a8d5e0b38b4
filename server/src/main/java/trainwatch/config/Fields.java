package trainwatch.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads typed values out of one JSON object of the config, recording a
 * {@link FieldError} (with the dotted path and the value) for every problem
 * instead of stopping at the first one. Absent keys yield the default.
 */
final class Fields {
    private final ObjectNode node;
    private final String prefix;
    private final List<FieldError> errors;

    Fields(ObjectNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The value as written (null when absent), for keys with their own rules. */
    JsonNode raw(String key) {
        return node.get(key);
    }

    void error(String key, String message) {
        errors.add(new FieldError(path(key), message));
    }

    /** Keys not in {@code known}, in document order, each with a hint when one known key is close. */
    void rejectUnknown(Collection<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (known.contains(k)) continue;
            String hint = Suggest.closest(k, known).map(s -> " (did you mean " + s + "?)").orElse("");
            error(k, FieldError.UNKNOWN_KEY + hint);
        }
    }

    /** Known keys that mean nothing for the chosen type (e.g. beta1 with sgd): rejected so a mistake is not silently ignored. */
    void rejectInapplicable(Collection<String> candidates, Collection<String> applicable, String why) {
        for (String k : candidates)
            if (node.has(k) && !applicable.contains(k)) error(k, "does not apply to " + why);
    }

    /** A nested object; absent -> empty object; wrong type -> error and empty object. */
    Fields object(String key) {
        JsonNode v = node.get(key);
        if (v == null) return new Fields(node.objectNode(), path(key), errors);
        if (!v.isObject()) {
            error(key, "must be an object (got " + Got.of(v) + ")");
            return new Fields(node.objectNode(), path(key), errors);
        }
        return new Fields((ObjectNode) v, path(key), errors);
    }

    /** True when {@code key} is absent or one of {@code allowed} (no error recorded: for deciding what else to check). */
    boolean absentOrOneOf(String key, List<String> allowed) {
        JsonNode v = node.get(key);
        return v == null || (v.isTextual() && allowed.contains(v.textValue()));
    }

    /** A string; empty when absent or invalid (the error is recorded). */
    Optional<String> string(String key) {
        JsonNode v = node.get(key);
        if (v == null) return Optional.empty();
        if (!v.isTextual()) {
            error(key, "must be a string (got " + Got.of(v) + ")");
            return Optional.empty();
        }
        return Optional.of(v.textValue());
    }

    /** One of {@code allowed}; the default when absent or invalid. */
    String choice(String key, List<String> allowed, String def) {
        Optional<String> s = string(key);
        if (s.isEmpty()) return def;
        if (!allowed.contains(s.get())) {
            error(key, "must be one of " + String.join(", ", allowed) + " (got " + Got.quote(s.get()) + ")");
            return def;
        }
        return s.get();
    }

    /**
     * A finite number for which {@code ok} holds, else an error "&lt;rule&gt; (got v)"
     * and the default.
     */
    double number(String key, double def, DoublePredicate ok, String rule) {
        JsonNode v = node.get(key);
        if (v == null) return def;
        if (!v.isNumber()) {
            error(key, "must be a number (got " + Got.of(v) + ")");
            return def;
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            error(key, "must be a finite number (got " + v.asText() + ")");
            return def;
        }
        if (!ok.test(d)) {
            error(key, rule + " (got " + d + ")");
            return def;
        }
        return d;
    }

    /** An integer in [min, max] (JSON 64.0 counts as 64), else an error and the default. */
    long integer(String key, long def, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null) return def;
        Long n = integerValue(key, v);
        if (n == null) return def;
        if (n < min || n > max) {
            error(key, Got.range(min, max) + " (got " + n + ")");
            return def;
        }
        return n;
    }

    /** An array of integers each in [min, max], at most maxLength long; null when absent. */
    List<Integer> integers(String key, int maxLength, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null) return null;
        if (!v.isArray()) {
            error(key, "must be an array of integers (got " + Got.of(v) + ")");
            return null;
        }
        if (v.size() > maxLength) {
            error(key, "must have at most " + maxLength + " entries (got " + v.size() + ")");
            return null;
        }
        List<Integer> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            String k = key + "[" + i + "]";
            Long n = integerValue(k, v.get(i));
            if (n == null) {
                ok = false;
            } else if (n < min || n > max) {
                error(k, Got.range(min, max) + " (got " + n + ")");
                ok = false;
            } else {
                out.add(n.intValue());
            }
        }
        return ok ? out : null;
    }

    /** The value as a long, or null after recording why it is not an integer; out-of-long values clamp so the range check reports them. */
    private Long integerValue(String key, JsonNode v) {
        if (!v.isNumber()) {
            error(key, "must be an integer (got " + Got.of(v) + ")");
            return null;
        }
        BigDecimal d;
        try {
            d = v.decimalValue();
        } catch (NumberFormatException e) {
            error(key, "must be an integer (got " + v.asText() + ")");
            return null;
        }
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            error(key, "must be an integer (got " + v.asText() + ")");
            return null;
        }
        if (d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            error(key, "is out of range (got " + v.asText() + ")");
            return null;
        }
        return d.longValueExact();
    }
}
