package dev.maze.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a workflow submitted over the network may do on this machine (maze-server/README.md, "Security decisions"):
 * a {@code process} task only runs a program the operator allowed (running any command sent over the network is a
 * remote shell), and {@code http} and model-call tasks only reach the model registry's endpoints and the URL prefixes
 * the operator allowed (no server-side request forgery to internal addresses). A task that breaks the policy makes the
 * whole submission invalid, naming the task, the field and the option that would allow it.
 */
public final class SubmissionPolicy implements MazeServer.Preparation {

    /** Kinds whose calls go to a URL: the input naming it. */
    private static final Map<String, String> URL_INPUTS = Map.of(
            "http", "url", "llm", "baseUrl", "vlm", "baseUrl", "speech", "baseUrl");

    private final Set<String> commands;
    private final List<String> urlPrefixes;
    private final MazeServer.Preparation next;

    /**
     * @param commands programs a {@code process} task may run (the first word of its {@code command}, exactly)
     * @param urlPrefixes URL prefixes calls may go to (the registry's endpoint URLs among them)
     * @param next what an allowed batch goes through afterwards (the registry's routing)
     */
    public SubmissionPolicy(Set<String> commands, List<String> urlPrefixes, MazeServer.Preparation next) {
        this.commands = Set.copyOf(commands);
        this.urlPrefixes = urlPrefixes.stream().map(SubmissionPolicy::normalised).toList();
        this.next = next;
    }

    @Override
    public List<WorkflowSpec> apply(List<WorkflowSpec> specs) throws ValidationException {
        List<ValidationError> errors = new ArrayList<>();
        for (WorkflowSpec workflow : specs) {
            for (TaskSpec task : workflow.tasks()) {
                String problem = problem(task);
                if (problem != null) {
                    String field = task.kind().equals("process") ? "inputs.command" : "inputs." + URL_INPUTS.get(task.kind());
                    errors.add(new ValidationError(workflow.source(), workflow.label(), task.id(), field, problem));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return next.apply(specs);
    }

    private String problem(TaskSpec task) {
        JsonNode inputs = task.inputs();
        if ("process".equals(task.kind())) {
            JsonNode command = inputs.path("command");
            String program = command.isArray() && !command.isEmpty() ? command.get(0).asText() : "";
            if (!commands.contains(program)) {
                return "process tasks submitted over the API run only the programs the server allows ('" + program
                        + "' is not one of " + (commands.isEmpty() ? "them: none is" : commands) + "); start the "
                        + "server with --allow-command " + (program.isEmpty() ? "PROGRAM" : program);
            }
            return null;
        }
        String field = URL_INPUTS.get(task.kind());
        if (field == null || !inputs.hasNonNull(field)) {
            return null; // no URL of its own: a registry endpoint or the server's configured one
        }
        String url = inputs.get(field).asText();
        if (url.contains("{{")) {
            String literal = url.substring(0, url.indexOf("{{"));
            if (allowedPrefix(literal) == null || !hostComplete(literal)) {
                return "a URL whose address is a template cannot be checked before it runs; write the server's "
                        + "address out (the path may be templated)";
            }
            return null;
        }
        return allowedPrefix(url) != null ? null : "calls submitted over the API go only to the model registry's "
                + "endpoints and the URL prefixes the server allows; start it with --allow-url "
                + origin(url) + " to allow this one";
    }

    private String allowedPrefix(String url) {
        String candidate = normalised(url);
        for (String prefix : urlPrefixes) {
            // At a boundary: http://h/v1 allows http://h/v1 and http://h/v1/chat, not http://h/v1evil.
            if (candidate.startsWith(prefix) && (candidate.length() == prefix.length() || prefix.endsWith("/")
                    || "/?#".indexOf(candidate.charAt(prefix.length())) >= 0)) {
                return prefix;
            }
        }
        return null;
    }

    /** Whether the literal text before a template already ends the host (a '/' after the authority). */
    private static boolean hostComplete(String literal) {
        int scheme = literal.indexOf("://");
        return scheme >= 0 && literal.indexOf('/', scheme + 3) >= 0;
    }

    /** Scheme and host in lower case, the rest as given: how prefixes compare. */
    private static String normalised(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int path = url.indexOf('/', scheme + 3);
        String authority = path < 0 ? url : url.substring(0, path);
        return authority.toLowerCase(Locale.ROOT) + (path < 0 ? "/" : url.substring(path));
    }

    private static String origin(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority() + "/";
        } catch (IllegalArgumentException e) {
            return "URL";
        }
    }
}
