package trainwatch.train;

import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import trainwatch.config.RunConfig.ScheduleConfig;

/**
 * Config schedule -> DL4J ISchedule. constant and plateau give null (a fixed
 * rate): plateau is driven from outside by {@link PlateauPolicy}, because it
 * depends on val_loss, which no ISchedule sees.
 */
final class Schedules {
    private Schedules() {}

    static ISchedule of(ScheduleConfig s, double lr0) {
        if (s == null) return null;
        ScheduleType unit = unit(s.unit());
        return switch (s.type()) {
            case "constant", "plateau" -> null;
            case "step" -> new StepSchedule(unit, lr0, s.factor(), s.every());
            case "exponential" -> new ExponentialSchedule(unit, lr0, s.gamma());
            case "inverse" -> new InverseSchedule(unit, lr0, s.gamma(), s.power());
            default -> throw new IllegalArgumentException("unknown schedule.type " + s.type());
        };
    }

    static ScheduleType unit(String unit) {
        if (unit == null || unit.equals("iteration")) return ScheduleType.ITERATION;
        if (unit.equals("epoch")) return ScheduleType.EPOCH;
        throw new IllegalArgumentException("schedule.unit must be iteration or epoch (got " + unit + ")");
    }

    static boolean isPlateau(ScheduleConfig s) {
        return s != null && "plateau".equals(s.type());
    }
}
