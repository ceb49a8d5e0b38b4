package trainwatch.config;

import java.util.List;

/** A config that cannot be used; carries every problem found, first one first. */
public final class ConfigException extends Exception {
    private final List<FieldError> errors;

    public ConfigException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid config" : errors.get(0).line());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
