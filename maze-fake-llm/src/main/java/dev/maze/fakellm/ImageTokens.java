package dev.maze.fakellm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The prompt tokens of an image, by OpenAI's published rule for GPT-4o-class vision models: {@code detail: low} costs
 * 85 tokens; otherwise the image is scaled to fit in 2048 × 2048, then down so its shorter side is at most 768, and
 * costs 85 + 170 per 512 × 512 tile it touches. The size is read from the header of a {@code data:} URL's image
 * (PNG, JPEG, GIF, BMP through {@code javax.imageio}); for a remote URL, or a WebP the JDK cannot read, it is taken as
 * 1024 × 1024 (765 tokens), since the server fetches nothing.
 */
final class ImageTokens {

    static final int LOW_DETAIL = 85;
    static final int BASE = 85;
    static final int PER_TILE = 170;
    static final int ASSUMED_SIDE = 1024;

    private ImageTokens() {}

    /**
     * @param url a {@code data:image/...;base64,...} URL or any other URL
     * @param detail {@code low}, {@code high} or {@code auto}
     * @param where the request field, for errors
     * @throws ApiError a 400 for a data URL that is not base64 or not an image
     */
    static int of(String url, String detail, String where) {
        if (detail.equals("low")) {
            return LOW_DETAIL;
        }
        if (!detail.equals("high") && !detail.equals("auto")) {
            throw ApiError.invalid(where + ".detail", where + ".detail must be low, high or auto, not '" + detail + "'.");
        }
        if (!url.startsWith("data:")) {
            return forSize(ASSUMED_SIDE, ASSUMED_SIDE);
        }
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw ApiError.invalid(where + ".url", where + ": a data URL must be data:image/TYPE;base64,DATA.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(url.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(where + ".url", where + ": the data URL is not valid base64 (" + e.getMessage() + ").");
        }
        int[] size = size(bytes);
        if (size == null) {
            if (isWebp(bytes)) {
                return forSize(ASSUMED_SIDE, ASSUMED_SIDE);
            }
            throw ApiError.invalid(where + ".url", where + ": the data URL holds no image in a supported format "
                    + "(png, jpeg, gif, webp).");
        }
        return forSize(size[0], size[1]);
    }

    /** The tokens of a {@code width × height} image at high detail. */
    static int forSize(int width, int height) {
        double w = width;
        double h = height;
        double fit = Math.min(1, 2048 / Math.max(w, h));
        w *= fit;
        h *= fit;
        double shorter = Math.min(1, 768 / Math.min(w, h));
        w *= shorter;
        h *= shorter;
        long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
        return (int) (BASE + PER_TILE * tiles);
    }

    private static int[] size(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                return width > 0 && height > 0 ? new int[] {width, height} : null;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) { // a truncated or corrupt header: not an image we can size
            return null;
        }
    }

    private static boolean isWebp(byte[] bytes) {
        return bytes.length >= 12 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
                && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P';
    }
}
