package trainwatch.store;

import java.util.List;

import trainwatch.event.RunEvent;

/**
 * Records read from a byte position of the event log up to its current valid
 * end. {@code next} is where the following read starts; {@code problems}
 * describes corrupt records that were detected and skipped (never returned as values).
 */
public record TailBatch(List<RunEvent> events, long next, List<String> problems) {}
