package trainwatch.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what a uPlot chart really drew. Each line series is drawn alone
 * (the others hidden for a moment), then the canvas is sampled column by
 * column for pixels of that series' colour between its own first and last
 * sample: a continuous line covers nearly every column, a line broken by
 * nulls covers few. Also reports the gaps uPlot clipped out of the path.
 */
final class ChartProbe {
    /** One series as drawn. {@code covered}/{@code columns} = share of pixel columns holding its colour. */
    record Drawn(String label, double firstX, double lastX, int columns, int covered, int gaps, int samples) {
        double coverage() {
            return columns == 0 ? 0 : covered / (double) columns;
        }

        @Override
        public String toString() {
            return "%s: %d/%d columns (%.1f%%), %d gaps, %d samples, x %s..%s"
                    .formatted(label, covered, columns, 100 * coverage(), gaps, samples, firstX, lastX);
        }
    }

    /** arguments: [0] css of the element holding the chart (its `uplot`), [1] x from, [2] x to (null = the series' own extent). */
    static final String SCRIPT = """
            const el = document.querySelector(arguments[0]);
            const u = el && el.uplot;
            if (!u || !u.data || !u.data[0].length) return null;
            const from = arguments[1], to = arguments[2];
            const shown = u.series.map((s) => s.show);
            const dashes = u.series.map((s) => s.dash);   // a dashed line is drawn solid while probed: coverage, not style
            const rgb = (c) => {
              if (typeof c !== 'string') return null;
              let m = /^#([0-9a-f]{6})$/i.exec(c);
              if (m) { const n = parseInt(m[1], 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
              m = /rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)/.exec(c);
              return m ? [+m[1], +m[2], +m[3]] : null;
            };
            const out = [];
            const { left, top, width, height } = u.bbox;
            try {
              for (let i = 1; i < u.series.length; i++) {
                const s = u.series[i];
                if (!shown[i] || !s.width) continue;
                const col = rgb(typeof s.stroke === 'function' ? s.stroke(u, i) : s.stroke);
                if (!col) continue;
                const ys = u.data[i];
                let f = -1, l = -1, n = 0;
                for (let k = 0; k < ys.length; k++) if (ys[k] != null) { if (f < 0) f = k; l = k; n++; }
                if (f < 0) continue;
                s.dash = null;
                u.batch(() => { for (let j = 1; j < u.series.length; j++) u.setSeries(j, { show: j === i }); });
                const x0 = Math.ceil(u.valToPos(from ?? u.data[0][f], 'x', true)) + 2;
                const x1 = Math.floor(u.valToPos(to ?? u.data[0][l], 'x', true)) - 2;
                const img = u.ctx.getImageData(left, top, width, height).data;
                let columns = 0, covered = 0;
                for (let x = Math.max(x0, left); x <= Math.min(x1, left + width - 1); x++) {
                  columns++;
                  for (let y = 0; y < height; y++) {
                    const p = (y * width + (x - left)) * 4;
                    if (img[p + 3] > 15 && Math.abs(img[p] - col[0]) + Math.abs(img[p + 1] - col[1]) + Math.abs(img[p + 2] - col[2]) < 70) { covered++; break; }
                  }
                }
                const gaps = (s._paths && s._paths.gaps) ? s._paths.gaps.length : 0;
                out.push({ label: s.label, firstX: u.data[0][f], lastX: u.data[0][l], columns, covered, gaps, samples: n });
              }
            } finally {
              u.series.forEach((s, j) => { s.dash = dashes[j]; });
              u.batch(() => { for (let j = 1; j < u.series.length; j++) u.setSeries(j, { show: shown[j] }); });
            }
            return out;""";

    private ChartProbe() {}

    @SuppressWarnings("unchecked")
    static List<Drawn> drawn(Browser b, String css, Double from, Double to) {
        Object r = b.js(SCRIPT, css, from, to);
        List<Drawn> out = new ArrayList<>();
        if (r == null) return out;
        for (Object o : (List<Object>) r) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new Drawn(String.valueOf(m.get("label")), num(m.get("firstX")), num(m.get("lastX")),
                    (int) num(m.get("columns")), (int) num(m.get("covered")), (int) num(m.get("gaps")), (int) num(m.get("samples"))));
        }
        return out;
    }

    static List<Drawn> drawn(Browser b, String css) {
        return drawn(b, css, null, null);
    }

    static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
