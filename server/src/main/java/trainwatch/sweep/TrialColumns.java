package trainwatch.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's trials as columns (the live socket's first message, docs/api.md): trial i is the i-th
 * element of every array. At 10,000 trials this is about half the bytes of a list of trial
 * objects (no key repeated per trial) and the page reads it straight into its columns.
 * {@code values} is keyed by parameter path; a trial without a value for a path holds null.
 */
public record TrialColumns(int[] n, String[] run, String[] status, Double[] value, int[] epochs, String[] reason, String[] retryOf,
                           Map<String, Object[]> values) {

    static TrialColumns of(List<TrialView> trials, List<String> paths) {
        int size = trials.size();
        int[] n = new int[size], epochs = new int[size];
        String[] run = new String[size], status = new String[size], reason = new String[size], retryOf = new String[size];
        Double[] value = new Double[size];
        Map<String, Object[]> values = new LinkedHashMap<>();
        for (String p : paths) values.put(p, new Object[size]);
        for (int i = 0; i < size; i++) {
            TrialView t = trials.get(i);
            n[i] = t.n();
            run[i] = t.run();
            status[i] = t.status();
            value[i] = t.value();
            epochs[i] = t.epochs();
            reason[i] = t.reason();
            retryOf[i] = t.retryOf();
            for (Map.Entry<String, Object[]> e : values.entrySet()) e.getValue()[i] = t.values() == null ? null : t.values().get(e.getKey());
        }
        return new TrialColumns(n, run, status, value, epochs, reason, retryOf, values);
    }
}
