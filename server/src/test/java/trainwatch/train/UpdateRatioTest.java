package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;

/** update_ratio/<layer> against ||W_after - W_before|| / ||W_before|| computed here from copies of the weights. */
class UpdateRatioTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"sgd, 0.5", "momentum, 0.5", "nesterov, 0.5", "adagrad, 0.1", "rmsprop, 0.01", "adam, 0.01"})
    void update_ratio_equals_the_norm_of_the_weight_change_over_the_norm_of_the_weights_before(String optimizer, double lr) {
        Dataset data = Fixtures.spiral(40, 5);
        RunConfig cfg = Fixtures.mlp("spiral", List.of(12), Fixtures.opt(optimizer, lr), 40, 1, 5);
        MultiLayerNetwork net = Models.build(cfg, data);
        MetricsListener metrics = new MetricsListener(net, false);
        net.setListeners(metrics);
        MiniBatches batches = new MiniBatches(data.trainX(), data.trainY(), 2, 3, 40, 5);
        batches.shuffle();
        assertEquals(List.of("dense1", "output"), List.of(metrics.layerName));
        for (int step = 0; step < 3; step++) {
            MiniBatches.Batch batch = batches.batch(step);
            metrics.setBatchLabels(batch.labels());
            INDArray[] before = {net.getLayer(0).getParam("W").dup(), net.getLayer(1).getParam("W").dup()};
            net.fit(batch.data());
            for (int j = 0; j < 2; j++) {
                INDArray after = net.getLayer(j).getParam("W");
                double expected = after.sub(before[j]).norm2Number().doubleValue() / before[j].norm2Number().doubleValue();
                assertEquals(expected, metrics.updateRatio(j), 1e-4 * expected,
                        optimizer + " step " + step + " layer " + metrics.layerName[j]);
            }
        }
    }
}
