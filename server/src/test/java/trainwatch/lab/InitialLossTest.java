package trainwatch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import trainwatch.event.CheckOutcome;
import trainwatch.config.ConfigParser;
import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;
import trainwatch.data.Datasets;

class InitialLossTest {
    private static final String SHAPES = "{\"dataset\": \"shapes\", \"trainSize\": 200, \"valSize\": 10}";

    private static MultiLayerNetwork netFor(RunConfig cfg, Dataset data) {
        return CheckModels.build(cfg, data);
    }

    @Test
    void the_project_initialization_starts_near_ln_10_on_shapes() throws Exception {
        RunConfig cfg = ConfigParser.parse(SHAPES);
        Dataset data = Datasets.load(cfg);
        InitialLoss.Result r = InitialLoss.of(netFor(cfg, data), LabData.head(data, 200, DataType.FLOAT));
        assertEquals(CheckOutcome.PASS, r.outcome(), r.summary());
        assertEquals(Math.log(10), r.expected(), 1e-12);
        assertTrue(r.summary().contains("ln(10) = 2.3026"), r.summary());
    }

    @Test
    void weights_scaled_way_up_are_caught_as_a_broken_initialization() throws Exception {
        RunConfig cfg = ConfigParser.parse(SHAPES);
        Dataset data = Datasets.load(cfg);
        MultiLayerNetwork net = netFor(cfg, data);
        net.params().muli(50);
        DataSet batch = LabData.head(data, 200, DataType.FLOAT);
        InitialLoss.Result r = InitialLoss.of(net, batch);
        assertEquals(CheckOutcome.WARN, r.outcome(), r.summary());
        assertTrue(r.loss() > Math.log(10) + 1, "loss " + r.loss());
        assertTrue(r.summary().contains("not within") && r.summary().contains("initialization"), r.summary());
    }

    @Test
    void a_loss_that_ignores_the_labels_is_caught_too() {
        assertEquals(CheckOutcome.WARN, InitialLoss.judge(0.0, 10).outcome(), "a loss of 0 at init means the loss is not looking at the labels");
        assertEquals(CheckOutcome.PASS, InitialLoss.judge(1.15, 3).outcome());
    }
}
