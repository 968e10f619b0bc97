package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are checked before parsing: their size against Maze's own limit, their encoding, a byte-order mark. */
class DocumentFilesTest {

    @TempDir
    Path temp;

    private static final String WORKFLOW = "name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}}\n";

    @Test
    void aFileBeyondTheLimitIsRefusedBeforeParsingNamingItsSizeAndTheSetting() throws Exception {
        Path big = temp.resolve("big.yaml");
        try (var out = Files.newBufferedWriter(big)) {
            out.write("name: w\nnote: \"");
            String chunk = "x".repeat(1_000_000);
            for (long written = 0; written <= DocumentReader.MAX_FILE_BYTES; written += chunk.length()) {
                out.write(chunk);
            }
            out.write("\"\n");
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> WorkflowParser.parseFile(big)).isInstanceOf(ValidationException.class)
                .hasMessageContaining(big.toString()).hasMessageContaining("MB, more than the 8.0 MB Maze reads")
                .hasMessageContaining("MAZE_MAX_FILE_MB");
        assertThat((System.nanoTime() - started) / 1e9).as("refused without parsing").isLessThan(5);
    }

    @Test
    void aFileThatIsNotUtf8SaysSoAndWhere() throws Exception {
        Path latin1 = temp.resolve("latin1.yaml");
        Files.write(latin1, ("name: caf" + (char) 0xE9 + "\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> WorkflowParser.parseFile(latin1)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("not UTF-8 text (the first byte that is not is at offset 9)");
        Path binary = temp.resolve("binary.json");
        Files.write(binary, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1, 2});
        assertThatThrownBy(() -> WorkflowParser.parseFile(binary)).hasMessageContaining("not UTF-8 text");
    }

    @Test
    void aByteOrderMarkIsAcceptedInJsonAsInYaml() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path json = temp.resolve("bom.json");
        Files.write(json, concat(bom, "{\"name\": \"w\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 1}}]}"
                .getBytes(StandardCharsets.UTF_8)));
        Path yaml = temp.resolve("bom.yaml");
        Files.write(yaml, concat(bom, WORKFLOW.getBytes(StandardCharsets.UTF_8)));
        assertThat(WorkflowParser.parseFile(json)).hasSize(1);
        assertThat(WorkflowParser.parseFile(yaml)).hasSize(1);
    }

    @Test
    void aYamlFileLargerThanTheParsersOwnDefaultIsRead() throws Exception {
        Path fourMb = temp.resolve("four.yaml");
        Files.writeString(fourMb, "name: w\ndescription: \"" + "y".repeat(4_000_000) + "\"\n"
                + "tasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}}\n");
        assertThatThrownBy(() -> WorkflowParser.parseFile(fourMb)).hasMessageNotContaining("code points");
    }

    @Test
    void aTruncatedFileIsReportedWithoutTheParsersInternals() throws Exception {
        Path truncated = temp.resolve("truncated.json");
        Files.writeString(truncated, "{\"name\": \"w\", \"tasks\": [");
        assertThatThrownBy(() -> WorkflowParser.parseFile(truncated))
                .hasMessageContaining("Unexpected end-of-input: expected close marker for Array (start marker at line 1, "
                        + "column 24)")
                .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
