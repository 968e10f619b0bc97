package dev.maze.predict.features;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens image and audio files with errors that say which file and what is wrong, as the features promise. */
final class MediaFiles {

    private MediaFiles() {}

    /**
     * A buffered stream over {@code file}; buffered because both ImageIO and AudioSystem probe a file's header and
     * rewind, which needs {@link InputStream#mark}.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws AccessDeniedException when it may not be read
     * @throws IOException when it is a directory, is empty, or cannot be opened for another reason
     */
    static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a file");
        }
        try {
            if (Files.size(file) == 0) {
                // Said plainly: the readers would call an empty file "not an image" or "not audio".
                throw new IOException(file + ": the file is empty");
            }
            return new BufferedInputStream(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw withCause(new NoSuchFileException(file.toString(), null, "file not found; check the path"), e);
        } catch (AccessDeniedException e) {
            throw withCause(new AccessDeniedException(file.toString(), null, "permission denied"), e);
        }
    }

    private static <E extends IOException> E withCause(E exception, IOException cause) {
        exception.initCause(cause);
        return exception;
    }
}
