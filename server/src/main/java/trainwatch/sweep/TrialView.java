package trainwatch.sweep;

import java.util.Map;

/**
 * One trial (its latest attempt): status is the run's ({@code queued}/{@code running} while active, then its
 * final status); value is the metric's best over the run, null when it has none or failed; retry_of names
 * the interrupted run this attempt replaces.
 */
public record TrialView(int n, String run, String status, Map<String, Object> values, Double value, int epochs, String reason,
                        String retryOf) {}
