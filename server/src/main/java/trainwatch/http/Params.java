package trainwatch.http;

import io.javalin.http.Context;

/** Query parameter parsing with the API's error messages. */
final class Params {
    private Params() {}

    static int intParam(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, name, "must be an integer (got " + clip(v) + ")");
        }
    }

    static long longParam(Context ctx, String name, long dflt) {
        return parseLong(name, ctx.queryParam(name), dflt);
    }

    static Long optionalLong(String name, String v) {
        if (v == null || v.isBlank()) return null;
        return parseLong(name, v, 0);
    }

    static long parseLong(String name, String v, long dflt) {
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, name, "must be an integer (got " + clip(v) + ")");
        }
    }

    static String clip(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}
