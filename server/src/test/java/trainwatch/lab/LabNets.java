package trainwatch.lab;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

/** Small networks and data the lab tests build for themselves (independent of the trainer's model factory). */
public final class LabNets {
    private LabNets() {}

    /** An mlp 2 -> hidden... -> classes with the given hidden activation. */
    public static MultiLayerNetwork mlp(DataType type, IActivation hiddenAct, double l2, IUpdater updater, long seed, int classes, int... hidden) {
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(updater).l2(l2)
                .weightInit(WeightInit.XAVIER).list();
        int nIn = 2;
        for (int i = 0; i < hidden.length; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + (i + 1)).nIn(nIn).nOut(hidden[i]).activation(hiddenAct).build());
            nIn = hidden[i];
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(nIn).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** conv(3x3, relu) -> maxpool 2x2 -> dense(relu) -> softmax on 1 x size x size images. */
    public static MultiLayerNetwork cnn(DataType type, int size, int filters, int hidden, int classes, double l2, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new NoOp()).l2(l2)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(filters).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense1").nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(classes).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(size, size, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** CS231n's spiral: {@code perClass} points of each of {@code classes} arms, 2-D, one-hot labels. */
    public static DataSet spiral(int perClass, int classes, long seed, DataType type) {
        Random rnd = new Random(seed);
        int n = perClass * classes;
        double[][] x = new double[n][2];
        double[][] y = new double[n][classes];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / (perClass - 1);
                double t = c * 4 + 4.0 * i / (perClass - 1) + rnd.nextGaussian() * 0.2;
                int k = c * perClass + i;
                x[k][0] = r * Math.sin(t);
                x[k][1] = r * Math.cos(t);
                y[k][c] = 1;
            }
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(type), Nd4j.createFromArray(y).castTo(type));
    }

    /** Random images with random one-hot labels (enough for gradient and loss checks). */
    public static DataSet randomImages(int n, int size, int classes, long seed, DataType type) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][size * size];
        double[][] y = new double[n][classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size * size; j++) x[i][j] = rnd.nextDouble();
            y[i][rnd.nextInt(classes)] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(type), Nd4j.createFromArray(y).castTo(type));
    }

    /** The first {@code n} examples. */
    public static DataSet head(DataSet d, int n) {
        INDArray f = d.getFeatures(), l = d.getLabels();
        return new DataSet(f.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup(),
                l.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup());
    }
}
