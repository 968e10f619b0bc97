package dev.maze.explore.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The limits an experiment's run gets where the operating system allows them, and a report of which are enforced and
 * how (maze-explore/README.md, "Sandbox"). The run itself is a process task of the core's process executor, which
 * gives it a session of its own, the wall-clock limit (SIGTERM, then SIGKILL to the whole group) and its exit status;
 * this class only builds the command line that wraps the experiment's program:
 * <ul>
 *   <li>memory, CPU and process count: a child cgroup per run — v1 ({@code memory.limit_in_bytes},
 *       {@code cpu.cfs_quota_us}, {@code pids.max}) or v2 ({@code memory.max}, {@code cpu.max}, {@code pids.max}) —
 *       that the wrapper joins before it starts the program, so everything the program starts is in it; an OOM kill
 *       is read back from {@code memory.oom_control} / {@code memory.events}. Without a writable cgroup, memory falls
 *       back to {@code prlimit --as} (address space: counts mapped memory a program never touches) and CPU and
 *       processes are reported as not enforced;
 *   <li>no network: {@code unshare -n} (a namespace with only a loopback that is down), where it is permitted;
 *   <li>environment: {@code env -i} with only the variables named (and the runner's own {@code MAZE_*} ones);
 *   <li>stdout and stderr to files in the experiment's directory, so that large output never sits in memory.
 * </ul>
 */
public final class Sandbox {

    /**
     * What to confine a run to.
     *
     * @param memoryBytes 0 for no limit
     * @param cpus CPUs' worth of time per second (1.5 = one and a half cores), 0 for no limit
     * @param pids the most processes and threads at once, 0 for no limit
     * @param network whether the run may use the network
     * @param passEnv variables passed from Maze's environment, where set
     * @param env variables set for the run
     * @param image run in a container of this image (Docker or Podman through its API) instead of a local process;
     *     null for a local process
     * @param engineHost the container engine ({@code unix:///var/run/docker.sock}, {@code tcp://...}); null to find one
     */
    public record Limits(long memoryBytes, double cpus, int pids, boolean network, List<String> passEnv,
            Map<String, String> env, String image, String engineHost) {

        /** The variables passed when a configuration names none. */
        public static final List<String> DEFAULT_PASS_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR",
                "USER");

        public Limits {
            passEnv = List.copyOf(passEnv);
            env = Map.copyOf(env);
        }

        /** No limits, the network allowed, the default variables passed. */
        public static Limits none() {
            return new Limits(0, 0, 0, true, DEFAULT_PASS_ENV, Map.of(), null, null);
        }
    }

    /** What the wrapper shell does: join the cgroups named before {@code --}, then run the rest, output to files. */
    private static final String WRAPPER = """
            out=$1; err=$2; shift 2
            while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
              echo $$ > "$1" || { echo "maze sandbox: cannot join the cgroup $1" >&2; exit 125; }
              shift
            done
            shift
            exec "$@" >"$out" 2>"$err"
            """;
    /** The wrapper's own exit status when it cannot set the run up. */
    public static final int SETUP_FAILED = 125;
    private static final String GROUP = "maze-explore";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

    private final Limits limits;
    private final Path cgroupRoot;
    /** "v1", "v2" or null (no writable cgroup). */
    private final String cgroupVersion;
    private final boolean unshare;
    private final boolean prlimit;

    private Sandbox(Limits limits, Path cgroupRoot, String cgroupVersion, boolean unshare, boolean prlimit) {
        this.limits = limits;
        this.cgroupRoot = cgroupRoot;
        this.cgroupVersion = cgroupVersion;
        this.unshare = unshare;
        this.prlimit = prlimit;
    }

    /**
     * The sandbox this machine allows for these limits (it probes cgroups only when a limit needs them; in a
     * container the engine enforces them).
     */
    public static Sandbox create(Limits limits) {
        return create(limits, Path.of("/sys/fs/cgroup"));
    }

    static Sandbox create(Limits limits, Path cgroupRoot) {
        if (limits.image() != null) {
            return new Sandbox(limits, cgroupRoot, null, false, false);
        }
        boolean needsCgroup = limits.memoryBytes() > 0 || limits.cpus() > 0 || limits.pids() > 0;
        String version = needsCgroup ? cgroupVersion(cgroupRoot) : null;
        boolean unshare = !limits.network() && runs("unshare", "-n", "true");
        boolean prlimit = version == null && limits.memoryBytes() > 0 && runs("prlimit", "--as=1000000000", "true");
        return new Sandbox(limits, cgroupRoot, version, unshare, prlimit);
    }

    public Limits limits() {
        return limits;
    }

    /** One line per limit: what it is and how it is enforced, or that it is not. */
    public List<String> enforcement() {
        List<String> lines = new ArrayList<>();
        if (limits.image() != null) {
            lines.add("container " + limits.image() + ": memory, cpus, processes and network are the engine's "
                    + "(HostConfig Memory, NanoCPUs, PidsLimit, NetworkMode none); the workspace is mounted at "
                    + ContainerExecutor.WORKDIR);
        } else {
            lines.addAll(localLimits());
        }
        lines.add("environment: only " + String.join(", ", new TreeMap<>(environment(Map.of())).keySet()));
        return lines;
    }

    /** What the operating system enforces for a local process, a line per limit. */
    private List<String> localLimits() {
        List<String> lines = new ArrayList<>();
        String cgroup = "cgroup " + cgroupVersion;
        if (limits.memoryBytes() > 0) {
            String amount = String.format(Locale.ROOT, "memory %.0f MiB: ", limits.memoryBytes() / 1048576.0);
            lines.add(amount + (cgroupVersion != null ? "enforced by " + cgroup + " (OOM kills are reported as OOM)"
                    : prlimit ? "enforced as an address-space limit (prlimit --as; counts mapped memory too)"
                    : "NOT enforced (no writable cgroup, no prlimit)"));
        }
        if (limits.cpus() > 0) {
            lines.add(String.format(Locale.ROOT, "cpus %.2f: ", limits.cpus()) + (cgroupVersion != null
                    ? "enforced by " + cgroup + " (a CPU quota)" : "NOT enforced (no writable cgroup)"));
        }
        if (limits.pids() > 0) {
            lines.add("processes " + limits.pids() + ": " + (cgroupVersion != null ? "enforced by " + cgroup
                    : "NOT enforced (no writable cgroup)"));
        }
        if (!limits.network()) {
            lines.add("network: " + (unshare ? "none (unshare -n)" : "NOT enforced (unshare -n is not permitted here)"));
        }
        return lines;
    }

    /** The variables a run gets: the passed ones that are set, the configured ones, then {@code extra}. */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : limits.passEnv()) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(limits.env());
        env.putAll(extra);
        return env;
    }

    /** Sets up the limits of one run called {@code name} (a cgroup where they need one). */
    public Cell open(String name) throws IOException {
        List<Path> groups = new ArrayList<>();
        if (limits.image() != null) {
            return new Cell(groups);
        }
        if ("v1".equals(cgroupVersion)) {
            if (limits.memoryBytes() > 0) {
                Path group = group("memory", name, groups);
                Files.writeString(group.resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
                Path swap = group.resolve("memory.memsw.limit_in_bytes");
                if (Files.exists(swap)) {
                    Files.writeString(swap, String.valueOf(limits.memoryBytes())); // no escape into swap
                }
            }
            if (limits.cpus() > 0) {
                Path group = group("cpu", name, groups);
                Files.writeString(group.resolve("cpu.cfs_period_us"), "100000");
                Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(limits.cpus() * 100_000)));
            }
            if (limits.pids() > 0) {
                Files.writeString(group("pids", name, groups).resolve("pids.max"), String.valueOf(limits.pids()));
            }
        } else if ("v2".equals(cgroupVersion)) {
            Path group = group(null, name, groups);
            if (limits.memoryBytes() > 0) {
                Files.writeString(group.resolve("memory.max"), String.valueOf(limits.memoryBytes()));
            }
            if (limits.cpus() > 0) {
                Files.writeString(group.resolve("cpu.max"), Math.round(limits.cpus() * 100_000) + " 100000");
            }
            if (limits.pids() > 0) {
                Files.writeString(group.resolve("pids.max"), String.valueOf(limits.pids()));
            }
        }
        return new Cell(groups);
    }

    private Path group(String controller, String name, List<Path> groups) throws IOException {
        Path parent = (controller == null ? cgroupRoot : cgroupRoot.resolve(controller)).resolve(GROUP);
        Files.createDirectories(parent);
        Path group = parent.resolve(name);
        Files.createDirectories(group);
        groups.add(group);
        return group;
    }

    /** The limits of one run: the command that applies them, and what happened under them. */
    public final class Cell implements AutoCloseable {
        private final List<Path> groups;

        private Cell(List<Path> groups) {
            this.groups = List.copyOf(groups);
        }

        /**
         * The command line that runs {@code program} under the limits, with its output to {@code stdout} and
         * {@code stderr} and the environment {@link #environment} gives with {@code extraEnv} on top.
         */
        public List<String> command(List<String> program, Path stdout, Path stderr, Map<String, String> extraEnv) {
            List<String> command = new ArrayList<>(List.of("sh", "-c", WRAPPER, "maze-sandbox", stdout.toString(),
                    stderr.toString()));
            groups.forEach(group -> command.add(group.resolve("cgroup.procs").toString()));
            command.add("--");
            if (unshare) {
                command.addAll(List.of("unshare", "-n", "--"));
            }
            if (prlimit) {
                command.addAll(List.of("prlimit", "--as=" + limits.memoryBytes(), "--"));
            }
            command.addAll(List.of("env", "-i"));
            environment(extraEnv).forEach((name, value) -> command.add(name + "=" + value));
            command.addAll(program);
            return command;
        }

        /**
         * The inputs of a {@code container} task ({@link ContainerExecutor}) that runs {@code program} in the
         * workspace with these limits, logs to {@code stdout} and {@code stderr}.
         */
        public com.fasterxml.jackson.databind.node.ObjectNode containerInputs(List<String> program, Path workspace,
                Path stdout, Path stderr, Map<String, String> extraEnv) {
            var inputs = JSON.createObjectNode().put("image", limits.image()).put("workspace", workspace.toString())
                    .put("memoryBytes", limits.memoryBytes()).put("nanoCpus", Math.round(limits.cpus() * 1e9))
                    .put("pids", limits.pids()).put("network", limits.network()).put("stdout", stdout.toString())
                    .put("stderr", stderr.toString());
            inputs.set("command", JSON.valueToTree(program));
            inputs.set("env", JSON.valueToTree(environment(extraEnv)));
            return inputs;
        }

        /** Whether the kernel killed a process of this run for passing its memory limit. */
        public boolean oomKilled() {
            for (Path group : groups) {
                for (String file : List.of("memory.oom_control", "memory.events")) {
                    try {
                        for (String line : Files.readAllLines(group.resolve(file))) {
                            String[] parts = line.strip().split("\\s+");
                            if (parts.length == 2 && parts[0].equals("oom_kill") && Long.parseLong(parts[1]) > 0) {
                                return true;
                            }
                        }
                    } catch (IOException | NumberFormatException e) {
                        // not this controller's file
                    }
                }
            }
            return false;
        }

        /** Kills whatever is still in the run's cgroups (a process that left its session too) and removes them. */
        @Override
        public void close() {
            for (Path group : groups) {
                for (int attempt = 0; attempt < 50; attempt++) {
                    try {
                        for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
                            if (!pid.isBlank()) {
                                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                            }
                        }
                        Files.deleteIfExists(group);
                        break;
                    } catch (IOException | NumberFormatException e) {
                        sleep(20); // the killed processes take a moment to leave
                    }
                }
            }
        }
    }

    private static String cgroupVersion(Path root) {
        if (probe(root.resolve("memory"))) {
            return "v1";
        }
        try {
            Path controllers = root.resolve("cgroup.controllers");
            if (Files.exists(controllers) && Files.readString(controllers).contains("memory")) {
                Path subtree = root.resolve("cgroup.subtree_control");
                Files.writeString(subtree, "+memory +cpu +pids");
                Path parent = root.resolve(GROUP);
                Files.createDirectories(parent);
                Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory +cpu +pids");
                return "v2";
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not writable: no cgroup
        }
        return null;
    }

    /** Whether a child cgroup can be made under {@code controller} (made and removed again). */
    private static boolean probe(Path controller) {
        if (!Files.isDirectory(controller)) {
            return false;
        }
        Path probe = controller.resolve(GROUP).resolve("probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(probe);
            Files.deleteIfExists(probe);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
