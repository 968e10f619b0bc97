package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFeaturesTest {

    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xffffff;

    @TempDir
    Path dir;

    @Test
    void flatGreyImageHasSizeButNoEntropyEdgesTextOrVariance() throws IOException {
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        fillGrey(grey, 128);

        Map<String, Double> features = ImageFeatures.extract(png(grey, "flat.png"));

        assertThat(features).containsExactly(
                Map.entry("image_height", 30.0),
                Map.entry("image_width", 40.0),
                Map.entry("image_area", 1200.0),
                Map.entry("image_aspect_ratio", 40.0 / 30.0),
                Map.entry("image_entropy", 0.0),
                Map.entry("edge_density", 0.0),
                Map.entry("text_area_ratio", 0.0),
                Map.entry("text_block_count", 0.0),
                // The stored grey level, not Java's linear-grey reading of it (getRGB turns 128 into 188).
                Map.entry("avg_brightness", 128.0),
                Map.entry("brightness_variance", 0.0));
    }

    @Test
    void featuresComeInTheDocumentedOrder() throws IOException {
        BufferedImage image = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);

        assertThat(ImageFeatures.extract(png(image, "small.png")).keySet()).containsExactlyElementsOf(ImageFeatures.NAMES);
    }

    @Test
    void brightnessIsBt601LumaOfTheColour() throws IOException {
        BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        fill(red, 0xff0000);

        Map<String, Double> features = ImageFeatures.extract(png(red, "red.png"));

        assertThat(features.get("avg_brightness")).isCloseTo(0.299 * 255, within(1e-3));
        assertThat(features.get("brightness_variance")).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void halfBlackHalfWhiteHasOneBitOfEntropyAndMaximalVariance() throws IOException {
        BufferedImage halves = halves(64, 64);

        Map<String, Double> features = ImageFeatures.extract(png(halves, "halves.png"));

        assertThat(features.get("image_entropy")).isCloseTo(1.0, within(1e-12));
        assertThat(features.get("avg_brightness")).isCloseTo(127.5, within(1e-3));
        // Population variance of equal numbers of 0 and 255: 127.5^2.
        assertThat(features.get("brightness_variance")).isCloseTo(127.5 * 127.5, within(1e-2));
    }

    @Test
    void edgeDensityOfACheckerboardCountsEveryPixelNextToASquareBorder() throws IOException {
        // 32x32 pixels in 4x4 black and white squares of 8 pixels. Sobel sees a change exactly at the pixels on
        // either side of a square border: columns 7, 8, 15, 16, 23, 24 and the same rows (magnitude 4 * 255 = 1020
        // beside a straight border, 2 * sqrt(2) * 255 = 721 beside a corner; 0 elsewhere).
        // Interior pixels: 30 x 30 = 900. Interior columns away from a border: 30 - 6 = 24, rows likewise 24,
        // so 24 * 24 = 576 flat pixels and 900 - 576 = 324 edge pixels.
        BufferedImage board = checkerboard(32, 32, 8);

        Map<String, Double> features = ImageFeatures.extract(png(board, "board.png"));

        assertThat(features.get("edge_density")).isEqualTo(324.0 / 900.0);
    }

    @Test
    void oneStraightStepEdgeIsAnEdgeButNotText() throws IOException {
        // Black columns 0..31, white 32..63: the edges are interior columns 31 and 32, 62 rows each.
        // In the cells they cross that is 2 of 16 pixels per row (12.5%), under the 20% a text-like cell needs.
        BufferedImage halves = halves(64, 64);

        Map<String, Double> features = ImageFeatures.extract(png(halves, "step.png"));

        assertThat(features.get("edge_density")).isEqualTo(2.0 * 62 / (62 * 62));
        assertThat(features.get("text_area_ratio")).isZero();
        assertThat(features.get("text_block_count")).isZero();
    }

    @Test
    void twoSeparateRegionsOfDenseHighContrastStrokesAreTwoTextBlocks() throws IOException {
        // White 128x128 page with two 32x32 patches of 2-pixel black and white stripes, each exactly 2x2 cells,
        // separated by white cells: every patch pixel is beside a stripe border, so each patch cell is all edges
        // with luma range 255. The white cells beside a patch get edges along one side but have no contrast.
        BufferedImage page = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        fill(page, WHITE);
        stripes(page, 16, 16, 32);
        stripes(page, 80, 80, 32);

        Map<String, Double> features = ImageFeatures.extract(png(page, "page.png"));

        assertThat(features.get("text_block_count")).isEqualTo(2.0);
        // 8 cells of 16 x 16 = 2048 of 16384 pixels.
        assertThat(features.get("text_area_ratio")).isEqualTo(2048.0 / 16384.0);
    }

    @Test
    void touchingRegionsFormOneBlock() throws IOException {
        BufferedImage page = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        fill(page, WHITE);
        stripes(page, 16, 16, 32);
        stripes(page, 48, 16, 32); // shares the side x = 48 with the first patch

        assertThat(ImageFeatures.extract(png(page, "wide.png")).get("text_block_count")).isEqualTo(1.0);
    }

    @Test
    void denseButLowContrastStrokesAreNotText() throws IOException {
        // 2-pixel stripes of grey 100 and 180 over the whole image: every interior pixel is beside a stripe border
        // (magnitude 4 * 80 = 320, an edge), but no cell spans more than 80 grey levels, under the 100 text needs.
        BufferedImage texture = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                texture.getRaster().setSample(x, y, 0, (x / 2) % 2 == 0 ? 100 : 180);
            }
        }

        Map<String, Double> features = ImageFeatures.extract(png(texture, "texture.png"));

        assertThat(features.get("edge_density")).isEqualTo(1.0);
        assertThat(features.get("text_area_ratio")).isZero();
        assertThat(features.get("text_block_count")).isZero();
    }

    @Test
    void tinyImagesHaveNoInteriorAndNoEdges() throws IOException {
        BufferedImage tiny = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        tiny.setRGB(0, 0, WHITE);

        Map<String, Double> features = ImageFeatures.extract(png(tiny, "tiny.png"));

        assertThat(features.get("edge_density")).isZero();
        assertThat(features.get("image_aspect_ratio")).isEqualTo(2.0);
        assertThat(features.get("avg_brightness")).isCloseTo(127.5, within(1e-3));
    }

    @Test
    void gifBmpAndPngOfTheSamePixelsGiveTheSameFeatures() throws IOException {
        BufferedImage board = checkerboard(48, 32, 8);

        Map<String, Double> fromPng = ImageFeatures.extract(png(board, "board.png"));

        assertThat(ImageFeatures.extract(write(board, "gif", "board.gif"))).isEqualTo(fromPng);
        assertThat(ImageFeatures.extract(write(board, "bmp", "board.bmp"))).isEqualTo(fromPng);
    }

    @Test
    void jpegIsReadWithItsSizeAndRoughlyItsBrightness() throws IOException {
        BufferedImage grey = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        fill(grey, 0x808080);

        Map<String, Double> features = ImageFeatures.extract(write(grey, "jpg", "grey.jpg"));

        assertThat(features.get("image_width")).isEqualTo(48.0);
        assertThat(features.get("image_height")).isEqualTo(32.0);
        assertThat(features.get("avg_brightness")).isCloseTo(128.0, within(2.0));
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedByName() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "just some text, no pixels");

        assertThatThrownBy(() -> ImageFeatures.extract(notes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(notes.toString())
                .hasMessageContaining("not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
    }

    @Test
    void aTruncatedPngIsReportedAsCorrupt() throws IOException {
        Path full = png(checkerboard(64, 64, 8), "full.png");
        byte[] bytes = Files.readAllBytes(full);
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ImageFeatures.extract(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("corrupt or truncated png image");
    }

    @Test
    void aMissingFileOrADirectoryIsRefusedByName() {
        Path missing = dir.resolve("missing.png");

        assertThatThrownBy(() -> ImageFeatures.extract(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": file not found; check the path");
        assertThatThrownBy(() -> ImageFeatures.extract(dir))
                .isInstanceOf(IOException.class)
                .hasMessage(dir + ": is a directory, not a file");
    }

    private Path png(BufferedImage image, String name) throws IOException {
        return write(image, "png", name);
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, format, file.toFile())).as("ImageIO writes %s", format).isTrue();
        return file;
    }

    static void fill(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, rgb);
            }
        }
    }

    private static void fillGrey(BufferedImage grey, int level) {
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                grey.getRaster().setSample(x, y, 0, level);
            }
        }
    }

    /** Left half black, right half white. */
    private static BufferedImage halves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? BLACK : WHITE);
            }
        }
        return image;
    }

    static BufferedImage checkerboard(int width, int height, int square) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x / square) + (y / square)) % 2 == 0 ? BLACK : WHITE);
            }
        }
        return image;
    }

    /** Vertical black and white stripes two pixels wide in the {@code size x size} square at (left, top). */
    private static void stripes(BufferedImage image, int left, int top, int size) {
        for (int y = top; y < top + size; y++) {
            for (int x = left; x < left + size; x++) {
                image.setRGB(x, y, ((x - left) / 2) % 2 == 0 ? BLACK : WHITE);
            }
        }
    }
}
