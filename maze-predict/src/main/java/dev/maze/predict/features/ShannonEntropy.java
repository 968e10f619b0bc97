package dev.maze.predict.features;

/** Shannon entropy of a histogram, shared by the image and audio features so both mean the same thing. */
final class ShannonEntropy {

    private static final double LN_2 = Math.log(2);

    private ShannonEntropy() {}

    /**
     * {@code -sum(p * log2(p))} over the non-empty bins, where {@code p} is a bin's share of all counts: 0 when
     * everything falls in one bin, {@code log2(bins)} when all bins hold the same count; 0 for an empty histogram.
     */
    static double bits(long[] histogram) {
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        double entropy = 0;
        for (long count : histogram) {
            if (count > 0) {
                double share = (double) count / total;
                entropy -= share * (Math.log(share) / LN_2);
            }
        }
        return entropy;
    }
}
