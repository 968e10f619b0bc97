package dev.maze.cli;

/** One-line descriptions of file-system errors for messages a user acts on (no exception class names). */
final class FileErrors {

    private FileErrors() {}

    /** What went wrong with a file, e.g. {@code permission denied on '/data/x.csv'}. */
    static String describe(Exception e) {
        return switch (e) {
            case java.nio.file.FileAlreadyExistsException x -> "'" + x.getFile() + "' is a file, not a folder";
            case java.nio.file.NoSuchFileException x -> "'" + x.getFile() + "' does not exist";
            case java.nio.file.AccessDeniedException x -> "permission denied on '" + x.getFile() + "'";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getFile() == null
                    ? x.getReason() : x.getReason() + " ('" + x.getFile() + "')";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
