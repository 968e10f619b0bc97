package dev.maze.server.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private PostgreSQL server for tests (no mock: the real server Debian installs, 15 here): a temporary directory,
 * {@code initdb}, {@code pg_ctl start} on a free loopback port with its socket in that directory, a database per test,
 * and {@code pg_ctl stop -m fast} plus the directory's removal at the end. As root it runs the server as the
 * {@code postgres} user ({@code initdb} refuses root): the directory is that user's, and the commands go through
 * {@code runuser}. Local (socket) connections are trusted; TCP ones, which the journal makes, need the password, so
 * that the tests pass it the way a team's server would.
 *
 * <p>{@link #shared()} is the one server of a test JVM, started on first use and stopped when the JVM exits
 * (whatever the tests' outcome); {@link #start()} is one of its own, which a test stops and deletes with
 * {@link #close()}. Where PostgreSQL is not installed the test is skipped with a message saying so ({@code .ci/run}
 * installs it).
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final String USER = "maze";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static PrivatePostgres shared;

    private final Path dir;
    private final Path bin;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private int port;
    private boolean running;

    private PrivatePostgres(Path dir, Path bin, String password) {
        this.dir = dir;
        this.bin = bin;
        this.password = password;
    }

    /**
     * The directory holding {@code initdb} and {@code pg_ctl}: the {@code PATH}'s, else the newest
     * {@code /usr/lib/postgresql/VERSION/bin}; empty when PostgreSQL is not installed.
     */
    public static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(version -> version.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // unreadable: as if absent
            }
        }
        return candidates.stream().filter(d -> Files.isExecutable(d.resolve("initdb"))
                && Files.isExecutable(d.resolve("pg_ctl"))).findFirst();
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The test JVM's server, started on first use and stopped (and deleted) when the JVM exits; skips the calling test
     * where PostgreSQL is not installed.
     */
    public static synchronized PrivatePostgres shared() throws IOException, InterruptedException {
        if (shared == null) {
            PrivatePostgres started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "private-postgres-stop"));
            shared = started;
        }
        return shared;
    }

    /** A server of the caller's own, to {@link #close()}; skips the calling test where PostgreSQL is not installed. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL is not installed (no initdb and pg_ctl in the PATH or "
                + "/usr/lib/postgresql/*/bin): the PostgreSQL journal tests are skipped; .ci/run installs it "
                + "(apt-get install postgresql)");
        Path dir = Files.createTempDirectory("maze-postgres");
        PrivatePostgres server = new PrivatePostgres(dir, bin.get(), "test-" + Long.toHexString(System.nanoTime()));
        try {
            Path passwordFile = Files.writeString(dir.resolve("password"), server.password + "\n");
            if (asRoot()) {
                run(List.of("chown", "-R", "postgres:", dir.toString()), dir.resolve("chown.log"));
            }
            server.command(List.of(bin.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", USER, "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile,
                    "--encoding=UTF8", "--locale=C"), dir.resolve("initdb.log"));
            server.startOnFreePort();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startOnFreePort() throws IOException, InterruptedException {
        IOException last = null;
        for (int tries = 0; tries < 3; tries++) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            try {
                startAgain();
                return;
            } catch (IOException e) { // most likely the port was taken between the probe and the start
                last = e;
            }
        }
        throw last;
    }

    /** Starts the server (again, after {@link #stop()}) on its port; returns once it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"),
                dir.resolve("pg_ctl-start.log"));
        running = true;
    }

    /** Stops the server ({@code -m fast}: sessions are ended, as in a restart); {@link #startAgain()} starts it. */
    public void stop() throws IOException, InterruptedException {
        if (running) {
            running = false;
            command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
                    "-w", "-t", "60", "stop"), dir.resolve("pg_ctl-stop.log"));
        }
    }

    /** A new, empty database; its JDBC URL (the user, no password). */
    public String createDatabase() throws SQLException {
        String name = "maze_test_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"), properties());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /** The JDBC URL of database {@code name} (the user, no password). */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=" + USER;
    }

    /** A connection to the database {@code url} names, for a test to look at what the journal wrote. */
    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, properties());
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("password", password);
        return properties;
    }

    /** The password of {@link #USER} over TCP (what {@code $MAZE_STORE_PASSWORD} gives a server). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            System.err.println("PrivatePostgres: could not stop the server in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("PrivatePostgres: could not delete " + dir + ": " + e.getMessage());
        }
    }

    private void command(List<String> command, Path log) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of(runuser(), "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, log);
    }

    /** Runs {@code command} with its output in {@code log} (never a pipe: the server would inherit it). */
    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(log.getParent().toFile()).start();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT_SECONDS
                    + " s");
        }
        if (process.exitValue() != 0) {
            Path serverLog = log.resolveSibling("server.log");
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                    + Files.readString(log).strip()
                    + (Files.isReadable(serverLog) ? "\nserver log: " + Files.readString(serverLog).strip() : ""));
        }
    }

    /** runuser (util-linux): from the PATH, else where Debian puts it (root's PATH has it; a narrowed one may not). */
    private static String runuser() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/sbin", "/sbin")).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "runuser")).filter(Files::isExecutable).map(Path::toString).findFirst()
                .orElse("runuser");
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " in " + dir;
    }
}
