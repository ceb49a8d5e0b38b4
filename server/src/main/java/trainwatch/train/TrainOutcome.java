package trainwatch.train;

import trainwatch.event.RunStatus;

/** How a training run ended: finished, failed, diverged or stopped, with a reason. */
public record TrainOutcome(RunStatus status, String reason, long iterations) {}
