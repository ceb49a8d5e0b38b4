package trainwatch.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.search.Asha;
import trainwatch.search.EarlyStop;
import trainwatch.search.Goal;
import trainwatch.search.Sampler;
import trainwatch.search.Space;

/**
 * A validated sweep spec (docs/sweeps.md). Built only by {@link SpecParser}: the base config
 * parses, every bound and choice put into it parses, and the settings are in range.
 * {@code raw} is the spec as given (plus "parent" for a refined sweep): what spec.json holds.
 */
public record SweepSpec(String name, ObjectNode base, String method, String tag, Goal goal, Space space, int trials,
                        int parallel, long seed, int retries, EarlyStopSpec earlyStop, String parent, JsonNode raw) {

    /** {"type": "none"} or {"type": "asha", "minEpochs": 1, "reductionFactor": 3}. */
    public record EarlyStopSpec(String type, int minEpochs, int reductionFactor) {
        public static final EarlyStopSpec NONE = new EarlyStopSpec("none", 0, 0);

        public boolean asha() {
            return "asha".equals(type);
        }
    }

    public Sampler sampler() {
        return Sampler.of(method, space, goal);
    }

    /** A fresh early-stopping state (a restart replays the stored reports into it). */
    public EarlyStop newEarlyStop() {
        return earlyStop.asha() ? new Asha(tag, goal, earlyStop.minEpochs(), earlyStop.reductionFactor()) : EarlyStop.none();
    }
}
