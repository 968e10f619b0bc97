package dev.maze.predict.features;

import java.io.IOException;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Decodes PCM frames into one mono sample per frame in [-1, 1]: the mean of the frame's channels.
 *
 * <p>Integer samples of 1 to 4 bytes, signed or unsigned, either byte order, are divided by {@code 2^(bits-1)} after
 * removing an unsigned sample's offset, so full scale maps to [-1, 1); 32- and 64-bit float samples are clamped to
 * [-1, 1]. Channels are averaged, not summed, so a mono signal copied to both channels keeps its level.
 */
final class PcmMixdown {

    private static final int FRAMES_PER_READ = 4096;

    private enum SampleKind { SIGNED, UNSIGNED, FLOAT }

    private final SampleKind kind;
    private final boolean bigEndian;
    private final int channels;
    private final int bytesPerSample;
    private final int frameSize;

    private PcmMixdown(SampleKind kind, boolean bigEndian, int channels, int bytesPerSample) {
        this.kind = kind;
        this.bigEndian = bigEndian;
        this.channels = channels;
        this.bytesPerSample = bytesPerSample;
        this.frameSize = channels * bytesPerSample;
    }

    /**
     * Feeds {@code sink} the mono sample of every frame left in {@code audio}, in order.
     *
     * @return the number of frames read
     * @throws UnsupportedAudioFileException with the reason, when the stream's format is not PCM this class decodes
     */
    static long forEachSample(AudioInputStream audio, DoubleConsumer sink)
            throws IOException, UnsupportedAudioFileException {
        return forFormat(audio.getFormat()).decode(audio, sink);
    }

    private static PcmMixdown forFormat(AudioFormat format) throws UnsupportedAudioFileException {
        SampleKind kind = kindOf(format.getEncoding());
        int channels = format.getChannels();
        int frameSize = format.getFrameSize();
        if (channels < 1 || frameSize < 1 || frameSize % channels != 0) {
            throw new UnsupportedAudioFileException("frames of " + frameSize + " bytes for " + channels
                    + " channels: the header is inconsistent");
        }
        int bytesPerSample = frameSize / channels;
        boolean sizeSupported = kind == SampleKind.FLOAT ? bytesPerSample == 4 || bytesPerSample == 8
                : bytesPerSample <= 4;
        if (!sizeSupported) {
            throw new UnsupportedAudioFileException(kind.name().toLowerCase(Locale.ROOT) + " samples of "
                    + bytesPerSample * 8 + " bits are not supported");
        }
        return new PcmMixdown(kind, format.isBigEndian(), channels, bytesPerSample);
    }

    private static SampleKind kindOf(AudioFormat.Encoding encoding) throws UnsupportedAudioFileException {
        if (AudioFormat.Encoding.PCM_SIGNED.equals(encoding)) {
            return SampleKind.SIGNED;
        } else if (AudioFormat.Encoding.PCM_UNSIGNED.equals(encoding)) {
            return SampleKind.UNSIGNED;
        } else if (AudioFormat.Encoding.PCM_FLOAT.equals(encoding)) {
            return SampleKind.FLOAT;
        }
        throw new UnsupportedAudioFileException("samples encoded as " + encoding + ", not PCM");
    }

    private long decode(AudioInputStream audio, DoubleConsumer sink) throws IOException {
        byte[] buffer = new byte[frameSize * FRAMES_PER_READ];
        long frames = 0;
        int read;
        // AudioInputStream only ever returns whole frames.
        while ((read = audio.readNBytes(buffer, 0, buffer.length)) > 0) {
            for (int frame = 0; frame + frameSize <= read; frame += frameSize) {
                sink.accept(mix(buffer, frame));
                frames++;
            }
        }
        return frames;
    }

    private double mix(byte[] buffer, int frameOffset) {
        double sum = 0;
        for (int channel = 0; channel < channels; channel++) {
            sum += sample(buffer, frameOffset + channel * bytesPerSample);
        }
        return sum / channels;
    }

    private double sample(byte[] buffer, int offset) {
        long bits = 0;
        for (int i = 0; i < bytesPerSample; i++) {
            int index = bigEndian ? offset + i : offset + bytesPerSample - 1 - i;
            bits = (bits << 8) | (buffer[index] & 0xff);
        }
        int width = bytesPerSample * 8;
        double fullScale = 1L << (width - 1);
        return switch (kind) {
            case SIGNED -> ((bits << (64 - width)) >> (64 - width)) / fullScale;
            case UNSIGNED -> (bits - (1L << (width - 1))) / fullScale;
            case FLOAT -> clampFloat(width == 32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits));
        };
    }

    /** Float PCM may exceed full scale; a NaN (a corrupt sample) counts as silence rather than poisoning the sums. */
    private static double clampFloat(double sample) {
        return Double.isNaN(sample) ? 0 : Math.clamp(sample, -1.0, 1.0);
    }
}
