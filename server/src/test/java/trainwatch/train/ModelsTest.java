package trainwatch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import trainwatch.config.RunConfig;

class ModelsTest {
    @Test
    void a_cnn_has_the_stable_layer_names_conv1_pool1_dense1_output() {
        MultiLayerNetwork net = Models.build(Fixtures.cnn(Fixtures.opt("sgd", 0.1), 8, 1, 1), Fixtures.shapes(20, 10, 1));
        assertEquals(List.of("conv1", "pool1", "dense1", "output"), names(net));
        assertEquals(DataType.FLOAT, net.params().dataType());
    }

    @Test
    void an_mlp_numbers_its_dense_layers_from_1() {
        MultiLayerNetwork net = Models.build(Fixtures.mlp("spiral", List.of(5, 4, 3), Fixtures.opt("sgd", 0.1), 8, 1, 1), Fixtures.spiral(5, 1));
        assertEquals(List.of("dense1", "dense2", "dense3", "output"), names(net));
    }

    /** Config dropout is the probability of dropping; DL4J's Dropout takes the probability of keeping. */
    @Test
    void dropout_and_l2_from_the_config_apply_to_every_layer_after_the_first_and_to_weights_only() {
        RunConfig base = Fixtures.mlp("spiral", List.of(6, 6), Fixtures.opt("sgd", 0.1), 8, 1, 1);
        RunConfig cfg = new RunConfig("d", "spiral", base.model(), base.optimizer(), base.schedule(),
                0.001, 0.25, 8, 1, 1, 0, 0, 50, 25, 0);
        MultiLayerNetwork net = Models.build(cfg, Fixtures.spiral(5, 1));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) layers.add(net.getLayerWiseConfigurations().getConf(i).getLayer());
        assertNull(layers.get(0).getIDropout(), "no dropout on the raw input");
        for (Layer l : layers.subList(1, layers.size()))
            assertEquals(0.75, ((Dropout) l.getIDropout()).getP(), 1e-12, l.getLayerName());
        for (Layer l : layers) {
            BaseLayer b = (BaseLayer) l;
            assertEquals(1, b.getRegularization().size(), l.getLayerName() + " weights regularized");
            assertEquals(0, b.getRegularizationBias().size(), l.getLayerName() + " biases not");
        }
    }

    private static List<String> names(MultiLayerNetwork net) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) names.add(net.getLayer(i).conf().getLayer().getLayerName());
        return names;
    }
}
