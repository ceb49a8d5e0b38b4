package trainwatch.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The first layer's weights as images: a conv layer's W is already
 * [nOut][nIn][kH][kW]; a dense layer on images has W [nIn][nOut], transposed
 * to [hidden][channels][h][w] (DL4J stores a dense W input-major). Nothing for non-image input.
 */
final class FirstLayerWeights {
    private FirstLayerWeights() {}

    /** The snapshot's shape, or null when the first layer's weights are not images. */
    static int[] shape(MultiLayerNetwork net, int[] exampleShape) {
        if (exampleShape.length != 3) return null;
        INDArray w = net.getLayer(0).getParam("W");
        if (w.rank() == 4) return new int[] {(int) w.size(0), (int) w.size(1), (int) w.size(2), (int) w.size(3)};
        return new int[] {(int) w.size(1), exampleShape[0], exampleShape[1], exampleShape[2]};
    }

    /** A copy of the weights in the order of {@link #shape} (the param array is a view into one buffer: dup first). */
    static float[] data(MultiLayerNetwork net) {
        Layer first = net.getLayer(0);
        INDArray w = first.getParam("W");
        INDArray image = w.rank() == 4 ? w : w.transpose();
        return image.dup('c').data().asFloat();
    }
}
