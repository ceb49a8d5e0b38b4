package trainwatch.lab;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.event.CheckOutcome;
import trainwatch.train.LbfgsFitter;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;

/** The checks a user runs on a config: what they train on, and a readable report plus JSON details. */
public final class LabChecks {
    public static final String OVERFIT = "overfit";
    public static final String GRADIENTS = "gradients";

    /** text: the command line's report. */
    public record Outcome(String check, CheckOutcome outcome, String summary, Map<String, Object> details, String text) {}

    private LabChecks() {}

    public static Outcome overfit(RunConfig config, Dataset data, OverfitCheck.Options options) {
        RunConfig c = CheckModels.forOverfit(config);
        Nd4j.getRandom().setSeed(c.seed());
        MultiLayerNetwork net = CheckModels.build(c, data);
        DataSet tiny = LabData.head(data, CheckModels.OVERFIT_EXAMPLES, DataType.FLOAT);
        InitialLoss.Result init = InitialLoss.of(net, tiny);
        Consumer<DataSet> step = "lbfgs".equals(c.optimizer().type()) ? new LbfgsFitter(net)::fit : net::fit;
        OverfitCheck.Result r = new OverfitCheck(options).run(net, tiny, step);
        Map<String, Object> details = CheckJson.overfit(r);
        details.put("maxIterations", options.maxIterations());
        details.put("optimizer", c.optimizer().type());
        details.put("lr", c.optimizer().lr());
        details.put("initialLossCheck", init.details());
        return new Outcome(OVERFIT, r.outcome(), r.summary(), details, CheckReports.overfit(c, r, init, options));
    }

    public static Outcome gradients(RunConfig config, Dataset data, GradientCheck.Options options) {
        RunConfig c = CheckModels.forGradients(config);
        Nd4j.getRandom().setSeed(c.seed());
        MultiLayerNetwork net = CheckModels.buildDouble(c, data);
        DataSet batch = LabData.head(data, CheckModels.GRADIENT_EXAMPLES, DataType.DOUBLE);
        GradientReport r = new GradientCheck(options).run(net, batch, c.l2());
        Map<String, Object> details = new LinkedHashMap<>(CheckJson.gradients(r));
        details.put("model", Map.of("type", c.model().type(), "hidden", c.model().hidden(),
                "filters", c.model().filters(), "kernel", c.model().kernel(), "params", net.numParams()));
        details.put("l2FromConfig", config.l2() > 0);
        details.put("hs", options.hs());
        String header = String.format(Locale.ROOT, "Model scaled down: %s, hidden %s%s, %d parameters; l2 %s%s%n",
                c.model().type(), c.model().hidden(), "cnn".equals(c.model().type()) ? ", " + c.model().filters() + " filters" : "",
                net.numParams(), CheckReports.num(c.l2()), config.l2() > 0 ? "" : " (the config has none: a small one to check the regularization path)");
        return new Outcome(GRADIENTS, r.outcome(), r.summary(), details, header + CheckReports.gradients(r));
    }
}
