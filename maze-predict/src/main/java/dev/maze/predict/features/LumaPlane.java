package dev.maze.predict.features;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * The brightness of every pixel of an image: luma {@code Y = 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601) on the
 * 0..255 scale, row-major.
 *
 * <p>Colour values are taken as stored in the file (gamma-encoded sRGB); grey images use their stored grey level and
 * palette images their palette colour. Transparency is ignored: a pixel counts with its colour whatever its alpha.
 *
 * <p>The common layouts ImageIO produces (8- and 16-bit grey and RGB(A), packed ints, palettes) are read a row at a
 * time from the raster, several times faster than {@link BufferedImage#getRGB(int, int)} per pixel; anything else
 * goes through {@code getRGB} a row at a time. Reading grey samples directly also keeps their values: Java's
 * {@code getRGB} treats 8-bit grey as linear light and brightens it (128 becomes 188).
 *
 * @param width pixels per row, at least 1
 * @param height rows, at least 1
 * @param values {@code width * height} luma values in 0..255, row-major; owned by this record, never modified
 */
record LumaPlane(int width, int height, float[] values) {

    private static final float RED_WEIGHT = 0.299f;
    private static final float GREEN_WEIGHT = 0.587f;
    private static final float BLUE_WEIGHT = 0.114f;

    /** The luma of every pixel of {@code image}. */
    static LumaPlane of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] values = new float[Math.multiplyExact(width, height)];
        ColorModel colors = image.getColorModel();
        Raster raster = image.getRaster();
        if (colors instanceof IndexColorModel palette && raster.getNumBands() == 1) {
            fromPalette(raster, palette, values);
        } else if (isGrey(colors)) {
            fromComponents(raster, 1, colors.getComponentSize(0), values);
        } else if (isSrgb(colors)) {
            fromComponents(raster, 3, colors.getComponentSize(0), values);
        } else {
            fromArgb(image, values);
        }
        return new LumaPlane(width, height, values);
    }

    static float luma(int red, int green, int blue) {
        return RED_WEIGHT * red + GREEN_WEIGHT * green + BLUE_WEIGHT * blue;
    }

    private static boolean isGrey(ColorModel colors) {
        return hasIntegerComponents(colors)
                && colors.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && colors.getNumColorComponents() == 1;
    }

    /** sRGB with R, G, B in the raster's first three bands and every band the same width. */
    private static boolean isSrgb(ColorModel colors) {
        return hasIntegerComponents(colors)
                && colors.getColorSpace().isCS_sRGB()
                && colors.getNumColorComponents() == 3
                && colors.getComponentSize(0) == colors.getComponentSize(1)
                && colors.getComponentSize(1) == colors.getComponentSize(2);
    }

    private static boolean hasIntegerComponents(ColorModel colors) {
        // Premultiplied colours would need dividing by alpha; ImageIO never produces them, so getRGB handles them.
        boolean layoutKnown = colors instanceof ComponentColorModel || colors instanceof DirectColorModel;
        int type = colors.getTransferType();
        boolean integerSamples = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT
                || type == DataBuffer.TYPE_INT;
        return layoutKnown && integerSamples && !colors.isAlphaPremultiplied() && colors.getComponentSize(0) <= 16;
    }

    /** Raster bands follow the colour model's component order: grey, or R, G, B, then alpha if any. */
    private static void fromComponents(Raster raster, int colorBands, int bitsPerSample, float[] values) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        float toByteScale = 255f / ((1 << bitsPerSample) - 1);
        int[] row = new int[width * bands];
        for (int y = 0, offset = 0; y < raster.getHeight(); y++, offset += width) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0, sample = 0; x < width; x++, sample += bands) {
                float value = colorBands == 1 ? row[sample] : luma(row[sample], row[sample + 1], row[sample + 2]);
                values[offset + x] = value * toByteScale;
            }
        }
    }

    private static void fromPalette(Raster raster, IndexColorModel palette, float[] values) {
        float[] lumaOfIndex = new float[palette.getMapSize()];
        for (int index = 0; index < lumaOfIndex.length; index++) {
            lumaOfIndex[index] = luma(palette.getRed(index), palette.getGreen(index), palette.getBlue(index));
        }
        int width = raster.getWidth();
        int[] row = new int[width];
        for (int y = 0, offset = 0; y < raster.getHeight(); y++, offset += width) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                // An index past the palette's end is black, as IndexColorModel itself defines it.
                values[offset + x] = row[x] < lumaOfIndex.length ? lumaOfIndex[row[x]] : 0f;
            }
        }
    }

    private static void fromArgb(BufferedImage image, float[] values) {
        int width = image.getWidth();
        int[] row = new int[width];
        for (int y = 0, offset = 0; y < image.getHeight(); y++, offset += width) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int argb = row[x];
                values[offset + x] = luma((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
            }
        }
    }
}
