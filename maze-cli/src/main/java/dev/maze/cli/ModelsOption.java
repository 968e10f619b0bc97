package dev.maze.cli;

import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.workflow.ValidationException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --models FILE}: the model registry (docs/model-registry.md), for {@code run}, {@code demo} and {@code simulate}. */
final class ModelsOption {

    @Option(names = "--models", paramLabel = "FILE",
            description = {"Model registry (YAML or JSON, docs/model-registry.md): the model servers calls go to, each",
                    "a scheduled resource (its maxConcurrency never exceeded, its resident models tracked)."})
    Path file;

    /**
     * The registry, or null without {@code --models}.
     *
     * @throws ValidationException naming the file and every invalid field in it
     */
    ModelRegistry registry() throws ValidationException {
        return file == null ? null : ModelRegistry.read(file);
    }
}
