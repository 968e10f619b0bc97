package dev.maze.predict.features;

/**
 * Which pixels of a luma plane lie on an edge: a Sobel gradient magnitude above {@link #MAGNITUDE_THRESHOLD}.
 *
 * <p>The 3x3 Sobel operator needs all eight neighbours, so only interior pixels (not in the outermost row or column)
 * are tested; border pixels are never edges. A step of {@code d} grey levels between two flat areas gives the pixels
 * on both sides of it a magnitude of {@code 4d}, so the threshold of 100 marks steps of more than 25 levels (about
 * 10% of the range): text strokes, object outlines and hard texture, but not JPEG noise or soft shading.
 *
 * @param width pixels per row, as in the luma plane
 * @param height rows, as in the luma plane
 * @param edges {@code width * height} flags, row-major; owned by this record, never modified
 * @param edgeCount how many flags are set
 */
record EdgeMap(int width, int height, boolean[] edges, long edgeCount) {

    /** Gradient magnitude (L2 norm of the horizontal and vertical Sobel responses) above which a pixel is an edge. */
    static final double MAGNITUDE_THRESHOLD = 100;

    private static final double THRESHOLD_SQUARED = MAGNITUDE_THRESHOLD * MAGNITUDE_THRESHOLD;

    /** The edges of {@code luma}. */
    static EdgeMap of(LumaPlane luma) {
        int width = luma.width();
        int height = luma.height();
        boolean[] edges = new boolean[width * height];
        long count = 0;
        for (int y = 1; y < height - 1; y++) {
            count += markRow(luma.values(), width, y, edges);
        }
        return new EdgeMap(width, height, edges, count);
    }

    /** Pixels not in the outermost rows and columns: those Sobel can test; 0 for images under 3x3. */
    long interiorPixels() {
        return (long) Math.max(0, width - 2) * Math.max(0, height - 2);
    }

    /** Marks the edges among the interior pixels of row {@code y}, returning how many it marked. */
    private static int markRow(float[] luma, int width, int y, boolean[] edges) {
        int count = 0;
        int above = (y - 1) * width;
        int here = y * width;
        int below = (y + 1) * width;
        for (int x = 1; x < width - 1; x++) {
            float gx = (luma[above + x + 1] + 2 * luma[here + x + 1] + luma[below + x + 1])
                    - (luma[above + x - 1] + 2 * luma[here + x - 1] + luma[below + x - 1]);
            float gy = (luma[below + x - 1] + 2 * luma[below + x] + luma[below + x + 1])
                    - (luma[above + x - 1] + 2 * luma[above + x] + luma[above + x + 1]);
            // Comparing squares avoids a square root per pixel.
            if ((double) gx * gx + (double) gy * gy > THRESHOLD_SQUARED) {
                edges[here + x] = true;
                count++;
            }
        }
        return count;
    }
}
