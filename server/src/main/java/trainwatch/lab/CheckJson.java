package trainwatch.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The "details" objects of check results (NaN/Inf travel as strings, as everywhere in docs/api.md). */
public final class CheckJson {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private CheckJson() {}

    public static String write(Map<String, Object> details) {
        try {
            return MAPPER.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("details are plain maps and numbers", e);
        }
    }

    public static Map<String, Object> overfit(OverfitCheck.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", r.examples());
        m.put("iterations", r.iterations());
        m.put("initialLoss", r.initialLoss());
        m.put("loss", r.loss());
        m.put("accuracy", r.accuracy());
        m.put("lossTarget", r.lossTarget());
        m.put("accuracyTarget", 1.0);
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("step", r.steps());
        curve.put("loss", r.losses());
        curve.put("acc", r.accuracies());
        m.put("curve", curve);
        return m;
    }

    public static Map<String, Object> gradients(GradientReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        // one readable line per phase first: a page that shows only the flat fields still gets per-layer max and median
        for (GradientReport.Phase p : r.phases()) m.put(p.l2() > 0 ? "withL2" : "dataLoss", perLayerLine(p));
        m.put("examples", r.examples());
        m.put("objectiveHasKinks", r.objectiveHasKinks());
        List<Object> phases = new ArrayList<>();
        for (GradientReport.Phase p : r.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("phase", p.name());
            pm.put("l2", p.l2());
            pm.put("layers", p.best().stream().map(CheckJson::layer).toList());
            List<Object> byH = new ArrayList<>();
            for (GradientReport.ByH h : p.byH()) {
                Map<String, Object> hm = new LinkedHashMap<>();
                hm.put("h", h.h());
                hm.put("layers", h.layers().stream().map(CheckJson::layer).toList());
                byH.add(hm);
            }
            pm.put("byH", byH);
            pm.put("kinks", p.kinkEntries().stream().map(CheckJson::entry).toList());
            phases.add(pm);
        }
        m.put("phases", phases);
        return m;
    }

    static String perLayerLine(GradientReport.Phase p) {
        return String.join("; ", p.best().stream().map(s -> String.format(java.util.Locale.ROOT,
                "%s max %.1e median %.1e (%s)", s.layer(), s.maxRelError(), s.medianRelError(), s.reading().text)).toList());
    }

    private static Map<String, Object> layer(GradientReport.LayerErrors s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", s.layer());
        m.put("h", s.h());
        m.put("checked", s.checked());
        m.put("kinks", s.kinks());
        m.put("tiny", s.tiny());
        m.put("maxRelError", s.maxRelError());
        m.put("medianRelError", s.medianRelError());
        m.put("reading", s.reading().text);
        m.put("outcome", s.reading().outcome.wire());
        if (s.worst() != null) m.put("worst", entry(s.worst()));
        return m;
    }

    private static Map<String, Object> entry(GradientReport.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", e.layer());
        m.put("param", e.param());
        m.put("index", e.index());
        m.put("analytic", e.analytic());
        m.put("numeric", e.numeric());
        m.put("relError", e.relError());
        return m;
    }
}
