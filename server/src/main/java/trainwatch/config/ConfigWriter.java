package trainwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RunConfig -> JSON with every key that applies, in schema order (the keys the parser would accept back). */
final class ConfigWriter {
    private ConfigWriter() {}

    static String write(RunConfig c) {
        ObjectNode root = tree(c);
        try {
            return ConfigParser.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a config tree", e);
        }
    }

    static ObjectNode tree(RunConfig c) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        ObjectNode root = n.objectNode();
        root.put("name", c.name());
        root.put("dataset", c.dataset());

        ObjectNode model = root.putObject("model");
        model.put("type", c.model().type());
        if (c.model().type().equals("cnn")) {
            model.put("filters", c.model().filters());
            model.put("kernel", c.model().kernel());
        }
        ArrayNode hidden = model.putArray("hidden");
        c.model().hidden().forEach(hidden::add);

        ObjectNode opt = root.putObject("optimizer");
        var o = c.optimizer();
        for (String k : OptimizerSection.USES.get(o.type())) {
            switch (k) {
                case "type" -> opt.put(k, o.type());
                case "lr" -> opt.put(k, o.lr());
                case "momentum" -> opt.put(k, o.momentum());
                case "beta1" -> opt.put(k, o.beta1());
                case "beta2" -> opt.put(k, o.beta2());
                case "eps" -> opt.put(k, o.eps());
                case "decay" -> opt.put(k, o.decay());
                default -> throw new IllegalStateException(k);
            }
        }

        ObjectNode sched = root.putObject("schedule");
        var s = c.schedule();
        for (String k : ScheduleSection.USES.get(s.type())) {
            switch (k) {
                case "type" -> sched.put(k, s.type());
                case "factor" -> sched.put(k, s.factor());
                case "every" -> sched.put(k, s.every());
                case "unit" -> sched.put(k, s.unit());
                case "gamma" -> sched.put(k, s.gamma());
                case "power" -> sched.put(k, s.power());
                case "patience" -> sched.put(k, s.patience());
                case "minLr" -> sched.put(k, s.minLr());
                default -> throw new IllegalStateException(k);
            }
        }

        root.put("l2", c.l2());
        root.put("dropout", c.dropout());
        root.put("batchSize", c.batchSize());
        root.put("epochs", c.epochs());
        root.put("seed", c.seed());
        root.put("trainSize", c.trainSize());
        root.put("valSize", c.valSize());
        root.put("evalEvery", c.evalEvery());
        root.put("filtersEvery", c.filtersEvery());
        root.put("maxIterations", c.maxIterations());
        if (c.stopOnDivergence() > 0) root.putObject("stopOnDivergence").put("evaluations", c.stopOnDivergence());
        root.putObject("checkpoints").put("keep", c.keepCheckpoints());
        if (c.averaging()) root.putObject("averaging").put("decay", c.averagingDecay());
        if (!c.resources().isEmpty()) {
            ObjectNode res = root.putObject("resources");
            if (c.resources().cpu() != null) res.put("cpu", c.resources().cpu());
            if (c.resources().memory() != null) res.put("memory", c.resources().memory());
        }
        return root;
    }
}
