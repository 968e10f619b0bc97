package dev.maze.predict.features;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Features of an audio file that predict how long speech and audio tools (transcription, diarisation, audio
 * captioning) take on it: above all its duration, then how loud and how varied its signal is (silence decodes fast).
 *
 * <p>Channels are mixed to mono by averaging (a mono signal copied to both channels keeps its level). Integer
 * samples are divided by {@code 2^(bits-1)} after removing an unsigned sample's offset, so full scale maps to
 * [-1, 1); float samples are clamped to [-1, 1].
 * <ul>
 *   <li>{@code duration}: seconds, frames / sample rate.</li>
 *   <li>{@code audio_entropy}: Shannon entropy in bits of the histogram of mono samples over 256 equal bins spanning
 *       [-1, 1] (bin {@code floor((s + 1) * 128)}, +1 in the last bin): 0 for silence or any constant signal, 1 for
 *       a square wave, at most 8; high for noise and speech, low for quiet recordings.</li>
 *   <li>{@code audio_energy}: root mean square of the mono samples, in 0..1: 0 for silence, A for a square wave of
 *       amplitude A, about A/√2 for a sine.</li>
 * </ul>
 * An empty file has duration, entropy and energy 0.
 *
 * <p>Reads what {@link AudioSystem} reads (WAV, AIFF, AU) with linear PCM samples of 8, 16, 24 or 32 bits, signed
 * or unsigned, or 32/64-bit float; μ-law and A-law are converted to PCM first. The file is streamed: memory does
 * not grow with its length. Thread-safe and deterministic.
 */
public final class AudioFeatures {

    /** The names of the features {@link #extract} returns, in its order. */
    public static final List<String> NAMES = List.of("duration", "audio_entropy", "audio_energy");

    private static final int HISTOGRAM_BINS = 256;

    private AudioFeatures() {}

    /**
     * The features of the audio in {@code wavFile}, keyed and ordered as {@link #NAMES}.
     *
     * @return an unmodifiable, insertion-ordered map
     * @throws IOException naming the file when it is missing, unreadable, not audio AudioSystem can decode, not PCM,
     *     or corrupt
     */
    public static Map<String, Double> extract(Path wavFile) throws IOException {
        try (InputStream in = MediaFiles.open(wavFile); AudioInputStream audio = openPcm(wavFile, in)) {
            double sampleRateHz = audio.getFormat().getSampleRate();
            if (!(sampleRateHz > 0)) {
                throw new IOException(wavFile + ": the header gives no sample rate");
            }
            SampleStatistics samples = new SampleStatistics();
            long frames = decode(wavFile, audio, samples);

            Map<String, Double> features = new LinkedHashMap<>();
            features.put("duration", frames / sampleRateHz);
            features.put("audio_entropy", ShannonEntropy.bits(samples.histogram));
            features.put("audio_energy", samples.rootMeanSquare());
            return Collections.unmodifiableMap(features);
        }
    }

    private static AudioInputStream openPcm(Path file, InputStream in) throws IOException {
        AudioInputStream audio;
        try {
            audio = AudioSystem.getAudioInputStream(in);
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(file + ": not an audio file AudioSystem can read (WAV, AIFF or AU with PCM samples)",
                    e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the audio header: " + e.getMessage(), e);
        }
        return isPcm(audio.getFormat().getEncoding()) ? audio : convertToPcm(file, audio);
    }

    private static boolean isPcm(AudioFormat.Encoding encoding) {
        return AudioFormat.Encoding.PCM_SIGNED.equals(encoding) || AudioFormat.Encoding.PCM_UNSIGNED.equals(encoding)
                || AudioFormat.Encoding.PCM_FLOAT.equals(encoding);
    }

    /** μ-law, A-law and whatever else an installed codec can turn into linear PCM. */
    private static AudioInputStream convertToPcm(Path file, AudioInputStream audio) throws IOException {
        AudioFormat.Encoding target = AudioFormat.Encoding.PCM_SIGNED;
        if (!AudioSystem.isConversionSupported(target, audio.getFormat())) {
            AudioFormat.Encoding encoding = audio.getFormat().getEncoding();
            audio.close();
            throw new IOException(file + ": samples encoded as " + encoding
                    + ", which AudioSystem cannot convert to PCM");
        }
        return AudioSystem.getAudioInputStream(target, audio);
    }

    private static long decode(Path file, AudioInputStream audio, DoubleConsumer sink) throws IOException {
        try {
            return PcmMixdown.forEachSample(audio, sink);
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the audio samples: " + e.getMessage(), e);
        }
    }

    /** Running histogram and sum of squares of mono samples in [-1, 1]. */
    private static final class SampleStatistics implements DoubleConsumer {
        final long[] histogram = new long[HISTOGRAM_BINS];
        double sumOfSquares;
        long count;

        @Override
        public void accept(double sample) {
            int bin = (int) Math.floor((sample + 1) * (HISTOGRAM_BINS / 2));
            histogram[Math.clamp(bin, 0, HISTOGRAM_BINS - 1)]++;
            sumOfSquares += sample * sample;
            count++;
        }

        double rootMeanSquare() {
            return count == 0 ? 0 : Math.sqrt(sumOfSquares / count);
        }
    }
}
