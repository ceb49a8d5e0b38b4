package trainwatch.sweep;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import trainwatch.search.Param;

/** One searched parameter for the pages: numeric kinds carry min/max, choices carry values; log says how to draw its axis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParamView(String path, String distribution, Number min, Number max, List<Object> values, boolean log) {
    static ParamView of(Param p) {
        if (p instanceof Param.Choice c) return new ParamView(p.path(), p.distribution(), null, null, c.choices(), false);
        Param.Numeric n = (Param.Numeric) p;
        boolean integer = p instanceof Param.IntUniform || p instanceof Param.IntLogUniform;
        return new ParamView(p.path(), p.distribution(), integer ? (Number) (long) n.lower() : (Number) n.lower(),
                integer ? (Number) (long) n.upper() : (Number) n.upper(), null, n.log());
    }
}
