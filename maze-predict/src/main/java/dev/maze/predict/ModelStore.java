package dev.maze.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.model.Model;
import dev.maze.predict.model.RegressorKind;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One tool type's folder, {@code <modelDir>/<toolType>/}: {@code dataset.csv} (every sample: the features and
 * {@code exec_time}), {@code model.json} (the trained model) and {@code meta.json} (regressor, features, sample
 * count, validation error, when trained, the values that fill missing features). Files are replaced atomically,
 * so a crash leaves the old or the new model, never half of one. A corrupt or mismatched file is reported and
 * set aside ({@code *.corrupt}), never fatal: the predictor starts without it.
 */
final class ModelStore {

    static final String DATASET = "dataset.csv";
    static final String MODEL = "model.json";
    static final String META = "meta.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A model with what it needs to predict and what {@code maze predictor info} shows. */
    record Trained(Model model, double[] fillValues, int samples, double validationMae, double validationMape,
            Instant trainedAt) {}

    /** What was found on disk. */
    record Loaded(Dataset dataset, Trained trained, List<String> problems) {}

    private final Path folder;
    private final ToolType type;

    ModelStore(Path modelDir, ToolType type) {
        this.folder = modelDir.resolve(type.name());
        this.type = type;
    }

    Path folder() {
        return folder;
    }

    /** @param repair whether bad files are set aside and a dataset with old columns rewritten (false: report only) */
    Loaded load(boolean repair) {
        List<String> problems = new ArrayList<>();
        Dataset dataset = loadDataset(problems, repair);
        Trained trained = loadModel(problems, repair);
        return new Loaded(dataset, trained, problems);
    }

    private Dataset loadDataset(List<String> problems, boolean repair) {
        Path file = folder.resolve(DATASET);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Dataset dataset = Dataset.readCsv(file, type.features());
            String header;
            try (var reader = Files.newBufferedReader(file)) {
                header = reader.readLine();
            }
            String expected = String.join(",", type.features()) + (type.features().isEmpty() ? "" : ",") + Dataset.TARGET_COLUMN;
            if (header != null && !header.strip().replace("\uFEFF", "").equals(expected)) {
                // The tool type's features changed: keep the samples under the current columns (new ones empty).
                if (repair) {
                    dataset.writeCsv(file);
                }
                problems.add(file + ": columns differ from the tool type's features; " + (repair ? "rewritten" : "to be rewritten")
                        + " with the current ones (features the file lacked are empty and take the training median)");
            }
            return dataset;
        } catch (IOException | RuntimeException e) {
            problems.add(repair ? setAside(file, e.getMessage()) : file + ": " + e.getMessage());
            return null;
        }
    }

    private Trained loadModel(List<String> problems, boolean repair) {
        Path metaFile = folder.resolve(META);
        Path modelFile = folder.resolve(MODEL);
        if (!Files.exists(metaFile) && !Files.exists(modelFile)) {
            return null;
        }
        try {
            JsonNode meta = JSON.readTree(Files.readString(metaFile));
            RegressorKind kind = RegressorKind.parse(meta.path("regressor").asText());
            List<String> features = new ArrayList<>();
            meta.path("features").forEach(f -> features.add(f.asText()));
            if (!features.equals(type.features())) {
                throw new IOException("its features " + features + " are not the tool type's " + type.features()
                        + "; it will be retrained from the dataset");
            }
            Model model = kind.load(Files.readAllBytes(modelFile));
            if (!model.features().equals(type.features())) {
                throw new IOException("the model's features " + model.features() + " differ from meta.json's");
            }
            double[] fill = new double[features.size()];
            JsonNode fillNode = meta.path("fillValues");
            if (fillNode.size() != fill.length) {
                throw new IOException("fillValues has " + fillNode.size() + " values for " + fill.length + " features");
            }
            for (int i = 0; i < fill.length; i++) {
                fill[i] = fillNode.get(i).asDouble();
            }
            return new Trained(model, fill, meta.path("samples").asInt(), meta.path("validationMae").asDouble(),
                    meta.path("validationMape").asDouble(), Instant.parse(meta.path("trainedAt").asText()));
        } catch (NoSuchFileException e) {
            problems.add(folder + ": " + e.getFile() + " is missing; the model is ignored and will be retrained");
        } catch (IOException | RuntimeException e) {
            problems.add(repair ? setAside(modelFile, e.getMessage()) + "; " + setAside(metaFile, null)
                    : modelFile + " or " + metaFile.getFileName() + ": " + e.getMessage());
        }
        return null;
    }

    /** Renames a bad file to {@code *.corrupt} so that it neither loads again nor gets appended to. */
    private static String setAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        String what = why == null ? "" : file + ": " + why + "; ";
        try {
            if (!Files.exists(file)) {
                return what.isEmpty() ? file + " absent" : what + "ignored";
            }
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return what + "ignored and moved to " + aside.getFileName();
        } catch (IOException e) {
            return what + "ignored (could not move it aside: " + e.getMessage() + ")";
        }
    }

    void append(double[] row, double seconds) throws IOException {
        Files.createDirectories(folder);
        Dataset.appendCsvRow(folder.resolve(DATASET), type.features(), row, seconds);
    }

    void save(RegressorKind kind, Trained trained) throws IOException {
        Files.createDirectories(folder);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("toolType", type.name());
        meta.put("regressor", kind.id());
        type.features().forEach(meta.putArray("features")::add);
        meta.put("samples", trained.samples());
        meta.put("validationMae", trained.validationMae());
        meta.put("validationMape", trained.validationMape());
        meta.put("trainedAt", trained.trainedAt().toString());
        for (double value : trained.fillValues()) {
            meta.withArray("fillValues").add(value);
        }
        replace(folder.resolve(MODEL), trained.model().toBytes());
        replace(folder.resolve(META), JSON.writeValueAsBytes(meta));
    }

    private static void replace(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, bytes);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
