package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Image features over random images: every feature stays in its documented range, and the way ImageIO happens to lay
 * out the pixels in memory never changes the numbers.
 */
class ImageFeaturesProperties {

    @ParameterizedTest(name = "seed {0}, {1}x{2}")
    @MethodSource("images")
    void everyFeatureStaysInItsDocumentedRange(long seed, int width, int height) {
        BufferedImage image = randomImage(width, height, seed);
        String sample = sample(seed, width, height);
        Map<String, Double> features = ImageFeatures.extract(image);
        int cells = Math.ceilDiv(image.getWidth(), 16) * Math.ceilDiv(image.getHeight(), 16);

        assertThat(features.values()).as(sample).allSatisfy(value -> assertThat(value).isFinite());
        assertThat(features.get("image_area")).as(sample).isEqualTo((double) image.getWidth() * image.getHeight());
        assertThat(features.get("image_entropy")).as(sample).isBetween(0.0, 8.0);
        assertThat(features.get("edge_density")).as(sample).isBetween(0.0, 1.0);
        assertThat(features.get("text_area_ratio")).as(sample).isBetween(0.0, 1.0);
        assertThat(features.get("text_block_count")).as(sample).isBetween(0.0, (double) (cells + 1) / 2);
        assertThat(features.get("avg_brightness")).as(sample).isBetween(0.0, 255.0);
        assertThat(features.get("brightness_variance")).as(sample).isBetween(0.0, 127.5 * 127.5 + 1e-6);
        if (features.get("text_block_count") == 0) {
            assertThat(features.get("text_area_ratio")).as(sample).isZero();
        }
    }

    /** Packed ints, interleaved bytes with and without alpha, and BGR order all take their own decoding path. */
    @ParameterizedTest(name = "seed {0}, {1}x{2}")
    @MethodSource("images")
    void pixelLayoutDoesNotChangeTheFeatures(long seed, int width, int height) {
        BufferedImage image = randomImage(width, height, seed);
        Map<String, Double> expected = ImageFeatures.extract(image);

        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR}) {
            assertThat(ImageFeatures.extract(copy(image, type))).as("%s, layout %d", sample(seed, width, height), type)
                    .isEqualTo(expected);
        }
    }

    /** 5-6-5 colours go through getRGB, palettes through a lookup table: both must mean the colours they show. */
    @ParameterizedTest(name = "seed {0}, {1}x{2}")
    @MethodSource("images")
    void lossyLayoutsGiveTheFeaturesOfTheColoursTheyHold(long seed, int width, int height) {
        BufferedImage image = randomImage(width, height, seed);
        for (int type : new int[] {BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_BYTE_INDEXED}) {
            BufferedImage lossy = copy(image, type);
            BufferedImage shown = copy(lossy, BufferedImage.TYPE_INT_RGB);

            assertThat(ImageFeatures.extract(lossy)).as("%s, layout %d", sample(seed, width, height), type)
                    .isEqualTo(ImageFeatures.extract(shown));
        }
    }

    private static final int[] EDGE_SIDES = {1, 2, 70};
    private static final long[] EDGE_SEEDS = {0, Long.MIN_VALUE, Long.MAX_VALUE};

    /**
     * Seed, width and height of each image (1-70 pixels a side): every pairing of the extreme sides 1, 2 and 70, then
     * 200 random sizes, each drawn from its seed.
     */
    static Stream<Arguments> images() {
        int sides = EDGE_SIDES.length;
        Stream<Arguments> edges = IntStream.range(0, sides * sides).mapToObj(i -> Arguments.of(
                EDGE_SEEDS[(i + i / sides) % EDGE_SEEDS.length], EDGE_SIDES[i / sides], EDGE_SIDES[i % sides]));
        Stream<Arguments> random = LongStream.range(2024, 2024 + 200).mapToObj(seed -> {
            SplittableRandom size = new SplittableRandom(seed);
            return Arguments.of(seed, size.nextInt(1, 71), size.nextInt(1, 71));
        });
        return Stream.concat(edges, random);
    }

    /** How a failure names its image: {@code randomImage(width, height, seed)} draws it again. */
    private static String sample(long seed, int width, int height) {
        return "image seed " + seed + ", " + width + "x" + height;
    }

    /** Blocks of flat colour, black-and-white stripes and colour noise, so edges and text-like cells occur. */
    private static BufferedImage randomImage(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int blockY = 0; blockY < height; blockY += 8) {
            for (int blockX = 0; blockX < width; blockX += 8) {
                int pattern = random.nextInt(3);
                int flat = random.nextInt(1 << 24);
                for (int y = blockY; y < Math.min(height, blockY + 8); y++) {
                    for (int x = blockX; x < Math.min(width, blockX + 8); x++) {
                        int rgb = switch (pattern) {
                            case 0 -> flat;
                            case 1 -> (x / 2) % 2 == 0 ? 0x000000 : 0xffffff;
                            default -> random.nextInt(1 << 24);
                        };
                        image.setRGB(x, y, rgb);
                    }
                }
            }
        }
        return image;
    }

    private static BufferedImage copy(BufferedImage source, int type) {
        BufferedImage copy = new BufferedImage(source.getWidth(), source.getHeight(), type);
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                copy.setRGB(x, y, source.getRGB(x, y));
            }
        }
        return copy;
    }
}
