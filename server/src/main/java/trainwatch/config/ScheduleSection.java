package trainwatch.config;

import java.util.List;
import java.util.Map;

import trainwatch.config.RunConfig.ScheduleConfig;

/** Parses and checks "schedule": the type and only the settings that type uses. */
final class ScheduleSection {
    static final List<String> KEYS = List.of("type", "factor", "every", "unit", "gamma", "power", "patience", "minLr");
    static final Map<String, List<String>> USES = Map.of(
            "constant", List.of("type"),
            "step", List.of("type", "factor", "every", "unit"),
            "exponential", List.of("type", "gamma", "unit"),
            "inverse", List.of("type", "gamma", "power", "unit"),
            "plateau", List.of("type", "factor", "patience", "minLr"));
    static final List<String> TYPES = List.of("constant", "step", "exponential", "inverse", "plateau");
    static final List<String> UNITS = List.of("iteration", "epoch");

    private ScheduleSection() {}

    static ScheduleConfig parse(Fields f) {
        f.rejectUnknown(KEYS);
        String type = f.choice("type", TYPES, "constant");
        if (f.absentOrOneOf("type", TYPES)) f.rejectInapplicable(KEYS, USES.get(type), "schedule.type " + type);
        // a plateau factor of 1 would never lower the rate: the trainer's plateau policy refuses it, so the parser does too
        double factor = type.equals("plateau")
                ? f.number("factor", 0.5, v -> v > 0 && v < 1, "must be in (0, 1) for schedule.type plateau")
                : f.number("factor", 0.5, v -> v > 0 && v <= 1, "must be in (0, 1]");
        int every = (int) f.integer("every", 1, 1, 1_000_000_000);
        String unit = f.choice("unit", UNITS, "epoch");
        double gamma = type.equals("inverse")
                ? f.number("gamma", defaultGamma(type), v -> v > 0, "must be > 0")
                : f.number("gamma", defaultGamma(type), v -> v > 0 && v <= 1, "must be in (0, 1]");
        double power = f.number("power", 1.0, v -> v > 0 && v <= 10, "must be in (0, 10]");
        int patience = (int) f.integer("patience", 3, 1, 1_000_000);
        double minLr = f.number("minLr", 1e-6, v -> v >= 0, "must be >= 0");
        return new ScheduleConfig(type, factor, every, unit, gamma, power, patience, minLr);
    }

    static double defaultGamma(String type) {
        return type.equals("inverse") ? 0.1 : 0.95;
    }
}
