package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] edited(RegressorKind kind, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(TrainedModels.of(kind).toBytes());
        edit.accept(document);
        return JSON.writeValueAsBytes(document);
    }

    private static ObjectNode parameters(ObjectNode document) {
        return (ObjectNode) document.get("parameters");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void bytesThatAreNotAModelAreRejectedWithAReason(RegressorKind kind) throws Exception {
        byte[] bytes = TrainedModels.of(kind).toBytes();

        assertThatThrownBy(() -> kind.load(new byte[0]))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("no model bytes: the serialised model is empty");
        assertThatThrownBy(() -> kind.load(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("not a Maze model");
        assertThatThrownBy(() -> kind.load(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("not a Maze model: the bytes are not JSON");
        assertThatThrownBy(() -> kind.load("{\"learner\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("not a Maze model: expected a JSON object with \"format\": \"maze-model\"");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void aModelOfAnotherKindIsRejectedNamingItsKind(RegressorKind kind) throws Exception {
        byte[] bytes = TrainedModels.of(kind).toBytes();
        for (RegressorKind other : RegressorKind.values()) {
            if (other != kind) {
                assertThatThrownBy(() -> other.load(bytes))
                        .isInstanceOf(ModelFormatException.class)
                        .hasMessageStartingWith("the bytes hold a '" + kind.id() + "' model, not '" + other.id() + "'");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void aNewerFormatVersionAsksForANewerBuild(RegressorKind kind) throws Exception {
        byte[] bytes = edited(kind, document -> document.put("version", 2));

        assertThatThrownBy(() -> kind.load(bytes))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model format version 2 cannot be read by this build, which reads version 1; "
                        + "load it with a newer Maze or retrain the model");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void missingOrUnknownParametersAreRejected(RegressorKind kind) throws Exception {
        byte[] unknown = edited(kind, document -> parameters(document).put("momentum", 0.9));
        byte[] missing = edited(kind, document -> parameters(document).remove(parameters(document).fieldNames().next()));
        byte[] noFeatures = edited(kind, document -> document.putArray("features"));

        assertThatThrownBy(() -> kind.load(unknown))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("corrupt " + kind.id() + " model parameters")
                .hasMessageContaining("momentum");
        assertThatThrownBy(() -> kind.load(missing)).isInstanceOf(ModelFormatException.class);
        assertThatThrownBy(() -> kind.load(noFeatures))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("\"features\" must be a non-empty array");
    }

    @Test
    void aTreeWhoseNodesDoNotFormAPreOrderTreeIsRejected() throws Exception {
        byte[] badChild = edited(RegressorKind.GBT, document -> {
            ArrayNode right = (ArrayNode) parameters(document).withArray("trees").get(0).withArray("rightChild");
            right.set(0, right.get(0).asInt() + 1);
        });
        byte[] badFeature = edited(RegressorKind.GBT, document ->
                ((ArrayNode) parameters(document).withArray("trees").get(0).withArray("splitFeature")).set(0, 99));

        assertThatThrownBy(() -> RegressorKind.GBT.load(badChild))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("corrupt gbt model: tree 0: right child");
        assertThatThrownBy(() -> RegressorKind.GBT.load(badFeature))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("corrupt gbt model: tree 0, node 0: split feature 99 outside 0..12");
    }

    @Test
    void layersWhoseShapesDoNotChainAreRejected() throws Exception {
        byte[] shortWeights = edited(RegressorKind.MLP, document ->
                ((ArrayNode) parameters(document).withArray("layers").get(1).withArray("weights")).remove(0));

        assertThatThrownBy(() -> RegressorKind.MLP.load(shortWeights))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("corrupt mlp model: layer 1: weights must be inputs × outputs and one bias per output");
    }

    @Test
    void coefficientsMustMatchTheFeaturesAndBeFinite() throws Exception {
        byte[] extra = edited(RegressorKind.LINEAR, document -> parameters(document).withArray("coefficients").add(1.0));
        byte[] notANumber = edited(RegressorKind.LINEAR, document -> parameters(document).put("intercept", "NaN"));

        assertThatThrownBy(() -> RegressorKind.LINEAR.load(extra))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("corrupt linear model: 14 coefficients for 13 features");
        assertThatThrownBy(() -> RegressorKind.LINEAR.load(notANumber)).isInstanceOf(ModelFormatException.class);
        assertThat(RegressorKind.LINEAR.load(edited(RegressorKind.LINEAR, document -> {})).features()).hasSize(13);
    }
}
