package trainwatch.train;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import trainwatch.config.RunConfig;
import trainwatch.data.Dataset;

/**
 * Builds the network of a run config. Hidden layers use He (RELU) init; the
 * output layer starts with N(0, 0.01^2) weights and zero bias, so every class
 * starts near 1/C and the initial loss is ~ln(C) (DL4J's XAVIER on the output
 * layer gives a visibly larger one). Dropout (config: probability of dropping)
 * applies to the inputs of every layer after the first.
 */
public final class Models {
    static final double OUTPUT_INIT_STD = 0.01;

    private Models() {}

    public static MultiLayerNetwork build(RunConfig cfg, Dataset data) {
        return build(cfg, data, DataType.FLOAT);
    }

    /** DOUBLE is for tests that check update rules to 1e-6; training uses FLOAT. */
    static MultiLayerNetwork build(RunConfig cfg, Dataset data, DataType dataType) {
        IUpdater updater = Optimizers.of(cfg.optimizer(), cfg.schedule());
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.RELU);
        if (cfg.l2() > 0) b.l2(cfg.l2());
        NeuralNetConfiguration.ListBuilder list = b.list();
        double retain = 1.0 - cfg.dropout();
        boolean dropout = cfg.dropout() > 0;
        int index = 0;
        long nIn;
        List<Integer> hidden = cfg.model().hidden() == null ? List.of() : cfg.model().hidden();
        switch (cfg.model().type()) {
            case "mlp" -> nIn = data.features();
            case "cnn" -> {
                if (!data.isImage()) throw new IllegalArgumentException("model.type cnn needs image data; dataset " + data.name() + " is not");
                int k = cfg.model().kernel();
                list.layer(index++, new ConvolutionLayer.Builder(k, k).name("conv1").stride(1, 1)
                        .nOut(cfg.model().filters()).activation(Activation.RELU).build());
                list.layer(index++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool1").kernelSize(2, 2).stride(2, 2).build());
                nIn = -1; // inferred from the input type
            }
            default -> throw new IllegalArgumentException("unknown model.type " + cfg.model().type());
        }
        for (int i = 0; i < hidden.size(); i++) {
            DenseLayer.Builder d = new DenseLayer.Builder().name("dense" + (i + 1)).nOut(hidden.get(i)).activation(Activation.RELU);
            if (index == 0 && nIn > 0) d.nIn(nIn);
            if (dropout && index > 0) d.dropOut(retain);
            list.layer(index++, d.build());
        }
        OutputLayer.Builder o = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                .nOut(data.numClasses()).activation(Activation.SOFTMAX)
                .weightInit(new NormalDistribution(0, OUTPUT_INIT_STD)).biasInit(0);
        if (index == 0 && nIn > 0) o.nIn(nIn);
        if (dropout && index > 0) o.dropOut(retain);
        list.layer(index, o.build());
        int[] shape = data.exampleShape();
        if (data.isImage()) list.setInputType(InputType.convolutionalFlat(shape[1], shape[2], shape[0]));
        else list.setInputType(InputType.feedForward(data.features()));
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
