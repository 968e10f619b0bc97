package dev.maze.server.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token every API route but health asks for. Given (configuration, {@code MAZE_API_TOKEN}), or generated
 * once and kept in the data directory as {@value #FILE_NAME} with mode 600, so that clients on the same machine find it
 * and it survives restarts. Compared in constant time.
 */
public final class ApiToken {

    /** The token's file in the data directory. */
    public static final String FILE_NAME = "api-token";
    /** The environment variable a token may be given in (server and clients). */
    public static final String ENV = "MAZE_API_TOKEN";

    private final byte[] token;
    private final boolean generated;

    private ApiToken(String token, boolean generated) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.generated = generated;
    }

    /** A token given by the user (at least 16 characters, or it is refused). */
    public static ApiToken given(String token) {
        if (token == null || token.strip().length() < 16) {
            throw new IllegalArgumentException("the API token must be at least 16 characters; leave it unset to have "
                    + "one generated");
        }
        return new ApiToken(token.strip(), false);
    }

    /** The token kept in {@code dataDir}, made (256 random bits, mode 600) if there is none. */
    public static ApiToken inDataDir(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            return new ApiToken(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "maze_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX modes (Windows): its ACLs protect the data directory
        }
        return new ApiToken(token, true);
    }

    /** Whether this token was made just now (the server prints it once). */
    public boolean generated() {
        return generated;
    }

    /** The token's text, for printing once. */
    public String value() {
        return new String(token, StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header carries this token, compared in constant time. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
