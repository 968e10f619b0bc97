package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Image features over random images: every feature stays in its documented range, and the way ImageIO happens to lay
 * out the pixels in memory never changes the numbers.
 */
class ImageFeaturesProperties {

    @Property(tries = 200, seed = "2024")
    void everyFeatureStaysInItsDocumentedRange(@ForAll("images") BufferedImage image) {
        Map<String, Double> features = ImageFeatures.extract(image);
        int cells = Math.ceilDiv(image.getWidth(), 16) * Math.ceilDiv(image.getHeight(), 16);

        assertThat(features.values()).allSatisfy(value -> assertThat(value).isFinite());
        assertThat(features.get("image_area")).isEqualTo((double) image.getWidth() * image.getHeight());
        assertThat(features.get("image_entropy")).isBetween(0.0, 8.0);
        assertThat(features.get("edge_density")).isBetween(0.0, 1.0);
        assertThat(features.get("text_area_ratio")).isBetween(0.0, 1.0);
        assertThat(features.get("text_block_count")).isBetween(0.0, (double) (cells + 1) / 2);
        assertThat(features.get("avg_brightness")).isBetween(0.0, 255.0);
        assertThat(features.get("brightness_variance")).isBetween(0.0, 127.5 * 127.5 + 1e-6);
        if (features.get("text_block_count") == 0) {
            assertThat(features.get("text_area_ratio")).isZero();
        }
    }

    /** Packed ints, interleaved bytes with and without alpha, and BGR order all take their own decoding path. */
    @Property(tries = 100, seed = "99")
    void pixelLayoutDoesNotChangeTheFeatures(@ForAll("images") BufferedImage image) {
        Map<String, Double> expected = ImageFeatures.extract(image);

        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR}) {
            assertThat(ImageFeatures.extract(copy(image, type))).as("layout %d", type).isEqualTo(expected);
        }
    }

    /** 5-6-5 colours go through getRGB, palettes through a lookup table: both must mean the colours they show. */
    @Property(tries = 100, seed = "7")
    void lossyLayoutsGiveTheFeaturesOfTheColoursTheyHold(@ForAll("images") BufferedImage image) {
        for (int type : new int[] {BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_BYTE_INDEXED}) {
            BufferedImage lossy = copy(image, type);
            BufferedImage shown = copy(lossy, BufferedImage.TYPE_INT_RGB);

            assertThat(ImageFeatures.extract(lossy)).as("layout %d", type).isEqualTo(ImageFeatures.extract(shown));
        }
    }

    @Provide
    Arbitrary<BufferedImage> images() {
        return Combinators.combine(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(1, 70),
                Arbitraries.longs()).as(ImageFeaturesProperties::randomImage);
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
