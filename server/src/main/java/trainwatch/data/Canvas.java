package trainwatch.data;

/** A 28x28 grayscale image being drawn; pixel (x, y) has its centre at (x + 0.5, y + 0.5). Drawing keeps the brighter value. */
final class Canvas {
    static final int SIDE = 28;
    final float[] px = new float[SIDE * SIDE];

    interface Region {
        boolean contains(double x, double y);
    }

    void fill(Region r, float v) {
        for (int y = 0; y < SIDE; y++)
            for (int x = 0; x < SIDE; x++)
                if (r.contains(x + 0.5, y + 0.5)) px[y * SIDE + x] = Math.max(px[y * SIDE + x], v);
    }

    void rect(double x0, double y0, double x1, double y1, float v) {
        fill((x, y) -> x >= x0 && x < x1 && y >= y0 && y < y1, v);
    }

    void disk(double cx, double cy, double r, float v) {
        fill((x, y) -> sq(x - cx) + sq(y - cy) <= r * r, v);
    }

    void ring(double cx, double cy, double r, double width, float v) {
        fill((x, y) -> {
            double d = Math.sqrt(sq(x - cx) + sq(y - cy));
            return d <= r && d >= r - width;
        }, v);
    }

    /** A segment of the given thickness. */
    void line(double x0, double y0, double x1, double y1, double thickness, float v) {
        double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        fill((x, y) -> {
            double t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
            return sq(x - (x0 + t * dx)) + sq(y - (y0 + t * dy)) <= sq(thickness / 2);
        }, v);
    }

    /** A filled triangle, apex up, centred at (cx, cy). */
    void triangle(double cx, double cy, double halfBase, double height, float v) {
        double top = cy - height / 2, bottom = cy + height / 2;
        fill((x, y) -> y >= top && y <= bottom && Math.abs(x - cx) <= halfBase * (y - top) / height, v);
    }

    private static double sq(double d) {
        return d * d;
    }
}
