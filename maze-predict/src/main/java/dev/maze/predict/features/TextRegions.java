package dev.maze.predict.features;

/**
 * Where an image looks like it holds text, by a cheap, deterministic test on a grid of cells; no OCR.
 *
 * <p>The image is cut into {@value #CELL_SIZE}x{@value #CELL_SIZE}-pixel cells (those on the right and bottom
 * borders may be smaller). A cell is <em>text-like</em> when
 * <ol>
 *   <li>more than {@link #MIN_EDGE_FRACTION} of its pixels are Sobel edges ({@link EdgeMap}): a single straight
 *       step edge crossing a cell marks about two pixels per row (12.5%), a pen stroke marks both its sides (25% or
 *       more), so outlines of large objects do not count but strokes do; and</li>
 *   <li>its luma range (brightest minus darkest pixel) exceeds {@link #MIN_LUMA_RANGE} grey levels: text is dark on
 *       light or light on dark, while textures with many small edges (foliage, fabric, noise) are mostly of one
 *       tone.</li>
 * </ol>
 * Text-like cells that share a side (4-connectivity) form one block: a paragraph, a caption, a table, a column.
 *
 * @param areaRatio pixels in text-like cells over all pixels, in 0..1
 * @param blockCount number of 4-connected groups of text-like cells
 */
record TextRegions(double areaRatio, int blockCount) {

    /** Side of a cell in pixels: about the height of a line of body text in a screenshot or a scanned page. */
    static final int CELL_SIZE = 16;

    /** Fraction of a cell's pixels that must be edges, exclusive. */
    static final double MIN_EDGE_FRACTION = 0.20;

    /** Luma range (0..255 scale) a cell must exceed. */
    static final double MIN_LUMA_RANGE = 100;

    /** The text-like regions of an image, given its luma and its edges. */
    static TextRegions find(LumaPlane luma, EdgeMap edges) {
        CellGrid grid = new CellGrid(luma.width(), luma.height());
        boolean[] textLike = new boolean[grid.cellCount()];
        long textPixels = 0;
        for (int cell = 0; cell < textLike.length; cell++) {
            textLike[cell] = isTextLike(grid, cell, luma, edges);
            if (textLike[cell]) {
                textPixels += grid.pixelsIn(cell);
            }
        }
        double areaRatio = (double) textPixels / ((long) luma.width() * luma.height());
        return new TextRegions(areaRatio, grid.countComponents(textLike));
    }

    private static boolean isTextLike(CellGrid grid, int cell, LumaPlane luma, EdgeMap edges) {
        int width = luma.width();
        float[] values = luma.values();
        boolean[] edge = edges.edges();
        float darkest = Float.POSITIVE_INFINITY;
        float brightest = Float.NEGATIVE_INFINITY;
        int edgePixels = 0;
        for (int y = grid.top(cell); y < grid.bottom(cell); y++) {
            for (int i = y * width + grid.left(cell), end = y * width + grid.right(cell); i < end; i++) {
                darkest = Math.min(darkest, values[i]);
                brightest = Math.max(brightest, values[i]);
                edgePixels += edge[i] ? 1 : 0;
            }
        }
        return edgePixels > MIN_EDGE_FRACTION * grid.pixelsIn(cell) && brightest - darkest > MIN_LUMA_RANGE;
    }

    /** The cells of a {@code width x height} image, numbered row-major. */
    private record CellGrid(int width, int height, int columns, int rows) {

        CellGrid(int width, int height) {
            this(width, height, ceilDiv(width), ceilDiv(height));
        }

        private static int ceilDiv(int pixels) {
            return Math.ceilDiv(pixels, CELL_SIZE);
        }

        int cellCount() {
            return columns * rows;
        }

        int left(int cell) {
            return (cell % columns) * CELL_SIZE;
        }

        int right(int cell) {
            return Math.min(width, left(cell) + CELL_SIZE);
        }

        int top(int cell) {
            return (cell / columns) * CELL_SIZE;
        }

        int bottom(int cell) {
            return Math.min(height, top(cell) + CELL_SIZE);
        }

        int pixelsIn(int cell) {
            return (right(cell) - left(cell)) * (bottom(cell) - top(cell));
        }

        /** Number of 4-connected groups of marked cells, by flood fill with an explicit stack. */
        int countComponents(boolean[] marked) {
            boolean[] seen = new boolean[marked.length];
            int[] stack = new int[marked.length];
            int components = 0;
            for (int start = 0; start < marked.length; start++) {
                if (marked[start] && !seen[start]) {
                    components++;
                    seen[start] = true;
                    fill(start, marked, seen, stack);
                }
            }
            return components;
        }

        private void fill(int start, boolean[] marked, boolean[] seen, int[] stack) {
            int size = 0;
            stack[size++] = start;
            while (size > 0) {
                int cell = stack[--size];
                int column = cell % columns;
                int row = cell / columns;
                size = push(column > 0, cell - 1, marked, seen, stack, size);
                size = push(column < columns - 1, cell + 1, marked, seen, stack, size);
                size = push(row > 0, cell - columns, marked, seen, stack, size);
                size = push(row < rows - 1, cell + columns, marked, seen, stack, size);
            }
        }

        private static int push(boolean inGrid, int cell, boolean[] marked, boolean[] seen, int[] stack, int size) {
            if (inGrid && marked[cell] && !seen[cell]) {
                seen[cell] = true;
                stack[size++] = cell;
            }
            return size;
        }
    }
}
