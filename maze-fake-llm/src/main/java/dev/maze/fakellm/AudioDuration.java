package dev.maze.fakellm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How long an uploaded audio file plays, in seconds: from the header of a WAV file (RIFF/WAVE: the {@code data}
 * chunk's bytes over the {@code fmt } chunk's byte rate), otherwise from its size at {@value #ASSUMED_BITS_PER_SECOND}
 * bits per second, a common MP3 and AAC bitrate (the server decodes nothing).
 */
final class AudioDuration {

    static final int ASSUMED_BITS_PER_SECOND = 128_000;

    private AudioDuration() {}

    static double secondsOf(byte[] bytes) {
        Double wav = wavSeconds(bytes);
        return wav != null ? wav : bytes.length * 8.0 / ASSUMED_BITS_PER_SECOND;
    }

    /** The length of a WAV file, or null when {@code bytes} is not one with a byte rate and a data chunk. */
    static Double wavSeconds(byte[] bytes) {
        if (bytes.length < 12 || !ascii(bytes, 0, "RIFF") || !ascii(bytes, 8, "WAVE")) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long byteRate = 0;
        int at = 12;
        while (at + 8 <= bytes.length) {
            long size = Integer.toUnsignedLong(buffer.getInt(at + 4));
            if (ascii(bytes, at, "fmt ") && at + 20 <= bytes.length) {
                byteRate = Integer.toUnsignedLong(buffer.getInt(at + 16)); // after format, channels, sample rate
            } else if (ascii(bytes, at, "data")) {
                long available = bytes.length - (at + 8L);
                long data = size == 0xFFFF_FFFFL || size > available ? available : size; // streamed or cut short
                return byteRate > 0 ? (double) data / byteRate : null;
            }
            at += 8 + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - at - 8); // chunks are padded to even
        }
        return null;
    }

    private static boolean ascii(byte[] bytes, int at, String text) {
        if (at + text.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
