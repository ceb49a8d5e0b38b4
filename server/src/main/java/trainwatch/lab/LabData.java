package trainwatch.lab;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import trainwatch.data.Dataset;

/** The first examples of a run's training split as one DL4J batch (flat features, one-hot labels), as the trainer feeds them. */
final class LabData {
    private LabData() {}

    static DataSet head(Dataset data, int n, DataType type) {
        int m = Math.min(n, data.trainCount());
        int f = data.features(), c = data.numClasses();
        float[] x = new float[m * f];
        System.arraycopy(data.trainX(), 0, x, 0, x.length);
        float[] y = new float[m * c];
        for (int i = 0; i < m; i++) y[i * c + data.trainY()[i]] = 1f;
        return new DataSet(Nd4j.create(x, new long[] {m, f}, 'c').castTo(type), Nd4j.create(y, new long[] {m, c}, 'c').castTo(type));
    }
}
