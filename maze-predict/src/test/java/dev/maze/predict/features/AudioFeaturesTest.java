package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFeaturesTest {

    private static final float RATE = 16_000;
    private static final double AMPLITUDE = 0.5;

    @TempDir
    Path dir;

    @Test
    void silenceHasItsExactDurationAndNoEnergyOrEntropy() throws IOException {
        Path wav = wav("silence.wav", signed(16, 1, false), 16_000, frame -> 0.0);

        Map<String, Double> features = AudioFeatures.extract(wav);

        assertThat(features).containsExactly(
                Map.entry("duration", 1.0), Map.entry("audio_entropy", 0.0), Map.entry("audio_energy", 0.0));
        assertThat(features.keySet()).containsExactlyElementsOf(AudioFeatures.NAMES);
    }

    @Test
    void fullScaleSquareWaveHasItsAmplitudeAsRmsAndOneBitOfEntropy() throws IOException {
        Path wav = wav("square.wav", signed(16, 1, false), 8_000, AudioFeaturesTest::square);

        Map<String, Double> features = AudioFeatures.extract(wav);

        assertThat(features.get("duration")).isEqualTo(0.5);
        // +A and -A are exact in 16 bits (0.5 = 16384 / 32768), so every squared sample is exactly A^2.
        assertThat(features.get("audio_energy")).isEqualTo(AMPLITUDE);
        // Half the samples in one bin, half in another.
        assertThat(features.get("audio_entropy")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void sineWaveHasRmsOfAmplitudeOverRootTwo() throws IOException {
        // 440 Hz over exactly 1 s: 440 whole periods, so the mean of sin^2 is 1/2 up to 16-bit rounding.
        Path wav = wav("sine.wav", signed(16, 1, false), 16_000,
                frame -> AMPLITUDE * Math.sin(2 * Math.PI * 440 * frame / RATE));

        Map<String, Double> features = AudioFeatures.extract(wav);

        assertThat(features.get("audio_energy")).isCloseTo(AMPLITUDE / Math.sqrt(2), within(1e-4));
        assertThat(features.get("audio_entropy")).isBetween(1.0, 8.0);
    }

    @Test
    void stereoChannelsAreAveraged() throws IOException {
        Path opposite = wav("opposite.wav", signed(16, 2, false), 1_000,
                frame -> frame % 2 == 0 ? square(frame / 2) : -square(frame / 2));
        Path levels = wav("levels.wav", signed(16, 2, false), 1_000, sample -> sample % 2 == 0 ? 0.5 : 0.25);

        assertThat(AudioFeatures.extract(opposite).get("audio_energy")).isZero();
        assertThat(AudioFeatures.extract(opposite).get("duration")).isEqualTo(1_000 / (double) RATE);
        assertThat(AudioFeatures.extract(levels).get("audio_energy")).isEqualTo((0.5 + 0.25) / 2);
    }

    @Test
    void eightBitUnsignedAnd24BitSamplesAreScaledToTheSameRange() throws IOException {
        Path eightBit = wav("u8.wav", unsigned8(), 4_000, AudioFeaturesTest::square);
        Path twentyFourBit = wav("s24.wav", signed(24, 1, false), 4_000, AudioFeaturesTest::square);

        assertThat(AudioFeatures.extract(eightBit).get("audio_energy")).isEqualTo(AMPLITUDE);
        assertThat(AudioFeatures.extract(twentyFourBit).get("audio_energy")).isEqualTo(AMPLITUDE);
    }

    @Test
    void floatSamplesAreReadAndClampedToFullScale() throws IOException {
        Path square = wav("square-float.wav", float32(), 4_000, AudioFeaturesTest::square);
        Path tooLoud = wav("loud-float.wav", float32(), 4_000, frame -> 2.0);

        assertThat(AudioFeatures.extract(square).get("audio_energy")).isEqualTo(AMPLITUDE);
        assertThat(AudioFeatures.extract(tooLoud).get("audio_energy")).isEqualTo(1.0);
    }

    @Test
    void bigEndianAiffIsReadLikeWav() throws IOException {
        Path aiff = write("square.aiff", signed(16, 1, true), 4_000, AudioFeaturesTest::square,
                AudioFileFormat.Type.AIFF);

        Map<String, Double> features = AudioFeatures.extract(aiff);

        assertThat(features.get("audio_energy")).isEqualTo(AMPLITUDE);
        assertThat(features.get("duration")).isEqualTo(0.25);
    }

    @Test
    void muLawIsConvertedToPcmFirst() throws IOException {
        AudioInputStream pcm = stream(signed(16, 1, true), 4_000, AudioFeaturesTest::square);
        AudioInputStream muLaw = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, pcm);
        Path au = dir.resolve("square.au");
        AudioSystem.write(muLaw, AudioFileFormat.Type.AU, au.toFile());

        Map<String, Double> features = AudioFeatures.extract(au);

        // μ-law keeps about 2% precision at this level.
        assertThat(features.get("audio_energy")).isCloseTo(AMPLITUDE, within(0.02));
        assertThat(features.get("duration")).isEqualTo(0.25);
    }

    @Test
    void aTruncatedFileReportsTheAudioItHolds() throws IOException {
        Path full = wav("full.wav", signed(16, 1, false), 16_000, frame -> 0.0);
        byte[] bytes = Files.readAllBytes(full);
        // Keep the 44-byte header and the first 4000 frames of 2 bytes.
        Path cut = Files.write(dir.resolve("cut.wav"), Arrays.copyOf(bytes, 44 + 4_000 * 2));

        assertThat(AudioFeatures.extract(cut).get("duration")).isEqualTo(0.25);
    }

    @Test
    void aFileThatIsNotAudioIsRefusedByName() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.wav"), "this is text wearing a .wav name");

        assertThatThrownBy(() -> AudioFeatures.extract(notes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(notes.toString())
                .hasMessageContaining("not an audio file AudioSystem can read");
    }

    @Test
    void anEmptyOrMissingFileIsRefusedByName() throws IOException {
        Path empty = Files.write(dir.resolve("empty.wav"), new byte[0]);
        Path missing = dir.resolve("missing.wav");

        assertThatThrownBy(() -> AudioFeatures.extract(empty))
                .isInstanceOf(IOException.class)
                .hasMessage(empty + ": the file is empty");
        assertThatThrownBy(() -> AudioFeatures.extract(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": file not found; check the path");
    }

    /** +A for the first half of every 20-frame period, -A for the second. */
    private static double square(int frame) {
        return frame % 20 < 10 ? AMPLITUDE : -AMPLITUDE;
    }

    private static AudioFormat signed(int bits, int channels, boolean bigEndian) {
        return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, RATE, bits, channels, channels * bits / 8, RATE,
                bigEndian);
    }

    private static AudioFormat float32() {
        return new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, RATE, 32, 1, 4, RATE, false);
    }

    private static AudioFormat unsigned8() {
        return new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, RATE, 8, 1, 1, RATE, false);
    }

    private Path wav(String name, AudioFormat format, int frames, IntToDoubleFunction sample) throws IOException {
        return write(name, format, frames, sample, AudioFileFormat.Type.WAVE);
    }

    /**
     * Writes {@code frames} frames whose samples (interleaved: sample {@code i} of a stereo file is channel
     * {@code i % 2} of frame {@code i / 2}) are {@code sample(i)} in [-1, 1].
     */
    private Path write(String name, AudioFormat format, int frames, IntToDoubleFunction sample,
            AudioFileFormat.Type type) throws IOException {
        Path file = dir.resolve(name);
        AudioSystem.write(stream(format, frames, sample), type, file.toFile());
        return file;
    }

    private static AudioInputStream stream(AudioFormat format, int frames, IntToDoubleFunction sample) {
        int bytesPerSample = format.getSampleSizeInBits() / 8;
        int samples = frames * format.getChannels();
        byte[] data = new byte[samples * bytesPerSample];
        for (int i = 0; i < samples; i++) {
            long value = encode(format, sample.applyAsDouble(i));
            for (int b = 0; b < bytesPerSample; b++) {
                int shift = 8 * (format.isBigEndian() ? bytesPerSample - 1 - b : b);
                data[i * bytesPerSample + b] = (byte) (value >> shift);
            }
        }
        return new AudioInputStream(new ByteArrayInputStream(data), format, frames);
    }

    private static long encode(AudioFormat format, double sample) {
        if (format.getEncoding().equals(AudioFormat.Encoding.PCM_FLOAT)) {
            return Float.floatToIntBits((float) sample);
        }
        long fullScale = 1L << (format.getSampleSizeInBits() - 1);
        long value = Math.round(sample * fullScale);
        return format.getEncoding().equals(AudioFormat.Encoding.PCM_UNSIGNED) ? value + fullScale : value;
    }
}
