package trainwatch.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.json.Json;
import trainwatch.search.Param;
import trainwatch.search.Space;

/** A space back in the spec's own spelling ("parameters"), for a refined sweep's spec.json. */
final class SpaceJson {
    private SpaceJson() {}

    static ObjectNode of(Space space) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Param p : space.list()) {
            ObjectNode d = out.putObject(p.path());
            if (p instanceof Param.Choice c) {
                d.set(p.distribution(), Json.MAPPER.valueToTree(c.choices()));
                continue;
            }
            Param.Numeric n = (Param.Numeric) p;
            d.put("distribution", p.distribution());
            if (p instanceof Param.IntUniform || p instanceof Param.IntLogUniform) {
                d.put("min", (long) n.lower());
                d.put("max", (long) n.upper());
            } else {
                d.put("min", n.lower());
                d.put("max", n.upper());
            }
        }
        return out;
    }
}
