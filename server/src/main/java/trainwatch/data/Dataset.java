package trainwatch.data;

/**
 * A labelled dataset held as plain float arrays (no ND4J here, so the server
 * can validate configs without loading it). Features are row-major per
 * example: spiral [2], images [1][28][28] scaled to [0, 1].
 */
public record Dataset(String name, int numClasses, int[] exampleShape,
                      float[] trainX, int[] trainY, float[] valX, int[] valY) {
    public int features() {
        int n = 1;
        for (int d : exampleShape) n *= d;
        return n;
    }

    public int trainCount() {
        return trainY.length;
    }

    public int valCount() {
        return valY.length;
    }

    /** True for image data (shape [channels][h][w]). */
    public boolean isImage() {
        return exampleShape.length == 3;
    }
}
