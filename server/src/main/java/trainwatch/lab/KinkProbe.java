package trainwatch.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which linear piece every kink of the network is on, for one input: the side
 * of each ReLU-like unit (its pre-activation's sign, read from its output) and
 * the winner of each max-pool window. If the pieces differ between x+h and x-h,
 * the centered difference straddled a kink and its numerical gradient is not
 * to be trusted.
 */
final class KinkProbe {
    private final MultiLayerNetwork net;
    private final INDArray input;
    private final boolean[] relu;        // layer i has a ReLU-like activation
    private final double[][] breakpoints;
    private final boolean[] maxPool;

    KinkProbe(MultiLayerNetwork net, INDArray input) {
        this.net = net;
        this.input = input;
        int n = net.getnLayers();
        relu = new boolean[n];
        breakpoints = new double[n][];
        maxPool = new boolean[n];
        for (int i = 0; i < n; i++) {
            var conf = net.getLayer(i).conf().getLayer();
            if (conf instanceof BaseLayer b) {
                breakpoints[i] = breakpointsOf(b.getActivationFn());
                relu[i] = breakpoints[i] != null;
            } else if (conf instanceof SubsamplingLayer s) {
                maxPool[i] = s.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX;
            }
        }
    }

    /** True when the network has any kink at all (ReLU-like units or max pooling). */
    boolean hasKinks() {
        for (int i = 0; i < relu.length; i++) if (relu[i] || maxPool[i]) return true;
        return false;
    }

    /** Output values where these activations bend; null for smooth ones. */
    private static double[] breakpointsOf(IActivation a) {
        if (a instanceof ActivationReLU || a instanceof ActivationLReLU || a instanceof ActivationRReLU) return new double[] {0};
        if (a instanceof ActivationReLU6) return new double[] {0, 6};
        if (a instanceof ActivationHardTanH) return new double[] {-1, 1};
        return null;
    }

    /** The piece signature at the network's current parameters. */
    List<int[]> signature() {
        List<INDArray> acts = net.feedForward(input, false); // [input, out of layer 0, out of layer 1, ...]
        List<int[]> sig = new ArrayList<>();
        for (int i = 0; i < relu.length; i++) {
            if (relu[i]) sig.add(pieces(acts.get(i + 1), breakpoints[i]));
            else if (maxPool[i]) sig.add(argmax(acts.get(i), acts.get(i + 1), (SubsamplingLayer) net.getLayer(i).conf().getLayer()));
        }
        return sig;
    }

    static boolean same(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    private static int[] pieces(INDArray out, double[] bends) {
        double[] v = out.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[] p = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            int piece = 0;
            for (double b : bends) if (v[k] > b) piece++;
            p[k] = piece;
        }
        return p;
    }

    /** Index of the winning input position in every pooling window (NCHW). */
    private static int[] argmax(INDArray in, INDArray out, SubsamplingLayer conf) {
        if (in.rank() != 4 || out.rank() != 4) return new int[0];
        double[] x = in.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long n = in.size(0), c = in.size(1), h = in.size(2), w = in.size(3);
        long oh = out.size(2), ow = out.size(3);
        int kh = conf.getKernelSize()[0], kw = conf.getKernelSize()[1];
        int sh = conf.getStride()[0], sw = conf.getStride()[1];
        long ph = conf.getPadding()[0], pw = conf.getPadding()[1];
        if (conf.getConvolutionMode() == ConvolutionMode.Same) {
            ph = Math.max(0, ((oh - 1) * sh + kh - h) / 2);
            pw = Math.max(0, ((ow - 1) * sw + kw - w) / 2);
        }
        int[] win = new int[(int) (n * c * oh * ow)];
        int o = 0;
        for (long a = 0; a < n * c; a++) {
            long base = a * h * w;
            for (long r = 0; r < oh; r++) {
                for (long q = 0; q < ow; q++) {
                    int best = -1;
                    double bestV = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            long y = r * sh - ph + i, z = q * sw - pw + j;
                            if (y < 0 || z < 0 || y >= h || z >= w) continue;
                            double v = x[(int) (base + y * w + z)];
                            if (v > bestV) {
                                bestV = v;
                                best = i * kw + j;
                            }
                        }
                    }
                    win[o++] = best;
                }
            }
        }
        return win;
    }
}
