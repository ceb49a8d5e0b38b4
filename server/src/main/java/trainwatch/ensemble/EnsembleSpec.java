package trainwatch.ensemble;

import java.util.List;

/**
 * runs/.ensembles/&lt;id&gt;/spec.json: what to evaluate. {@code source} says how the members were
 * chosen (runs | run | sweep | seeds) with its parameters; {@code members} are the checkpoints;
 * {@code averageParams}: also evaluate the element-wise mean of the members' parameters (one run's
 * checkpoints, same architecture).
 */
public record EnsembleSpec(String id, String name, long created, Source source, List<MemberRef> members, boolean averageParams) {
    public EnsembleSpec {
        members = List.copyOf(members);
    }

    /** kind runs: members as given; run: {@code run}'s last {@code k} checkpoints; sweep: top {@code k} of {@code sweep}; seeds: {@code k} runs of one config differing only in seed. */
    public record Source(String kind, String run, String sweep, Integer k) {
        public static Source runs() {
            return new Source("runs", null, null, null);
        }
    }
}
