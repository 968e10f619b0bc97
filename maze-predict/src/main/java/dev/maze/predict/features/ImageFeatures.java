package dev.maze.predict.features;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Features of an image file that predict how long vision tools (OCR, captioning, detection, a VLM's image encoder)
 * take on it: its size, how busy it is, how much of it looks like text, and how bright it is.
 *
 * <p>All features are computed at full resolution from the luma {@code Y = 0.299 R + 0.587 G + 0.114 B} (0..255) of
 * every pixel, as stored in the file; transparency is ignored and an animated GIF contributes its first frame.
 * <ul>
 *   <li>{@code image_height}, {@code image_width}: pixels; {@code image_area}: their product;
 *       {@code image_aspect_ratio}: width / height.</li>
 *   <li>{@code image_entropy}: Shannon entropy in bits of the 256-bin histogram of Y rounded to an integer; 0 for a
 *       flat image, at most 8.</li>
 *   <li>{@code edge_density}: the share of interior pixels (all but the outermost rows and columns) whose 3x3 Sobel
 *       gradient magnitude on Y exceeds 100, in 0..1; 0 for images under 3x3. A step of {@code d} grey levels gives
 *       the pixels beside it a magnitude of {@code 4d}, so this marks steps of more than 25 levels.</li>
 *   <li>{@code text_area_ratio}, {@code text_block_count}: the image is cut into 16x16-pixel cells (smaller on the
 *       right and bottom borders); a cell is text-like when more than 20% of its pixels are edges and its Y range
 *       (brightest minus darkest) exceeds 100. The ratio is the text-like cells' pixels over all pixels (0..1); the
 *       count is the number of groups of text-like cells joined by shared sides (4-connectivity). A straight
 *       object outline marks about 12.5% of a cell and a low-contrast texture has a small range, so neither counts;
 *       pen strokes mark both their sides and are dark on light.</li>
 *   <li>{@code avg_brightness}: mean of Y; {@code brightness_variance}: its population variance.</li>
 * </ul>
 *
 * <p>Thread-safe and deterministic. A 4000x3000 image takes a few hundred milliseconds after decoding (see the
 * module's FEATURES.md for measurements); memory is about 5 bytes per pixel on top of the decoded image.
 */
public final class ImageFeatures {

    /** The names of the features {@link #extract} returns, in its order. */
    public static final List<String> NAMES = List.of(
            "image_height", "image_width", "image_area", "image_aspect_ratio", "image_entropy", "edge_density",
            "text_area_ratio", "text_block_count", "avg_brightness", "brightness_variance");

    private static final String READABLE_FORMATS = "PNG, JPEG, BMP, GIF";

    private ImageFeatures() {}

    /**
     * The features of the image in {@code file}, keyed and ordered as {@link #NAMES}.
     *
     * @return an unmodifiable, insertion-ordered map
     * @throws IOException naming the file when it is missing, unreadable, not an image ImageIO can decode, or corrupt
     */
    public static Map<String, Double> extract(Path file) throws IOException {
        return extract(read(file));
    }

    /** The features of an image already decoded; same contract as {@link #extract(Path)}. */
    static Map<String, Double> extract(BufferedImage image) {
        LumaPlane luma = LumaPlane.of(image);
        EdgeMap edges = EdgeMap.of(luma);
        TextRegions text = TextRegions.find(luma, edges);
        double meanBrightness = mean(luma.values());
        long interior = edges.interiorPixels();

        Map<String, Double> features = new LinkedHashMap<>();
        features.put("image_height", (double) luma.height());
        features.put("image_width", (double) luma.width());
        features.put("image_area", (double) luma.width() * luma.height());
        features.put("image_aspect_ratio", (double) luma.width() / luma.height());
        features.put("image_entropy", histogramEntropy(luma.values()));
        features.put("edge_density", interior == 0 ? 0 : (double) edges.edgeCount() / interior);
        features.put("text_area_ratio", text.areaRatio());
        features.put("text_block_count", (double) text.blockCount());
        features.put("avg_brightness", meanBrightness);
        features.put("brightness_variance", variance(luma.values(), meanBrightness));
        return Collections.unmodifiableMap(features);
    }

    private static BufferedImage read(Path file) throws IOException {
        // A memory cache, not ImageIO's default disk cache: no temporary files, and the compressed bytes are small.
        try (InputStream in = MediaFiles.open(file); ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image ImageIO can read (" + READABLE_FORMATS + ")");
            }
            return decode(file, readers.next(), stream);
        }
    }

    private static BufferedImage decode(Path file, ImageReader reader, ImageInputStream stream) throws IOException {
        try {
            reader.setInput(stream, true, true);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            // Decoders report bad data as IIOException or as any runtime exception (index out of bounds, ...).
            throw new IOException(file + ": corrupt or truncated " + reader.getFormatName() + " image: "
                    + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Two passes (mean, then squared deviations) so a nearly flat image does not lose its variance to cancellation. */
    private static double variance(float[] values, double mean) {
        double sumOfSquares = 0;
        for (float value : values) {
            double deviation = value - mean;
            sumOfSquares += deviation * deviation;
        }
        return sumOfSquares / values.length;
    }

    private static double histogramEntropy(float[] values) {
        long[] histogram = new long[256];
        for (float value : values) {
            histogram[Math.clamp(Math.round(value), 0, 255)]++;
        }
        return ShannonEntropy.bits(histogram);
    }
}
