package trainwatch.run;

import java.util.List;

/** GET /api/runs/{id}/filters: {@code data} = base64 of little-endian float32 in {@code shape} order. */
public record FiltersView(long step, List<Long> steps, int[] shape, String data) {}
