package dev.maze.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCsvTest {
    private static final List<String> FEATURES = List.of("text_length", "token_count", "batch_size");

    @TempDir
    Path directory;

    private Path csv(String text) throws IOException {
        Path file = directory.resolve("samples.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void columnsAreMatchedByNameInAnyOrderAndUnknownOnesIgnored() throws IOException {
        Path file = csv("""
                exec_time,host,batch_size,token_count,text_length
                2.5,gpu-1,4,100,400
                0.75,gpu-2,1,20,81
                """);

        Dataset data = Dataset.readCsv(file, FEATURES);

        assertThat(data.featureNames()).isEqualTo(FEATURES);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.row(0)).containsExactly(400, 100, 4);
        assertThat(data.row(1)).containsExactly(81, 20, 1);
        assertThat(data.targets()).containsExactly(2.5, 0.75);
    }

    @Test
    void aMissingFeatureColumnAndEmptyCellsBecomeNaN() throws IOException {
        Path file = csv("""
                text_length,token_count,exec_time
                400,,2.5
                NaN,20,1
                """);

        Dataset data = Dataset.readCsv(file, FEATURES);

        assertThat(data.row(0)[1]).isNaN();
        assertThat(data.row(1)[0]).isNaN();
        assertThat(data.row(0)[2]).as("batch_size column absent").isNaN();
        assertThat(data.row(1)[2]).isNaN();
    }

    @Test
    void blankLinesAreSkippedButCountedInLineNumbers() throws IOException {
        Path file = csv("\ntext_length,exec_time\n\n400,2.5\n   \n12,x\n");

        assertThatThrownBy(() -> Dataset.readCsv(file, FEATURES))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("line 6,");

        Files.writeString(file, "\ntext_length,exec_time\n\n400,2.5\n   \n12,1\n\n");
        assertThat(Dataset.readCsv(file, FEATURES).size()).isEqualTo(2);
    }

    @Test
    void aCellThatIsNotANumberIsReportedWithFileLineAndColumn() throws IOException {
        Path file = csv("""
                text_length,token_count,batch_size,exec_time
                400,100,4,2.5
                400,abc,4,2.5
                """);

        assertThatThrownBy(() -> Dataset.readCsv(file, FEATURES))
                .isInstanceOf(DatasetException.class)
                .hasMessage(file + " line 3, column 'token_count': 'abc' is not a number; fix the cell or delete the row");
    }

    @Test
    void anInfiniteCellIsRejected() throws IOException {
        Path file = csv("text_length,exec_time\nInfinity,2\n");

        assertThatThrownBy(() -> Dataset.readCsv(file, FEATURES))
                .hasMessageContaining("line 2, column 'text_length'")
                .hasMessageContaining("not a finite number");
    }

    @Test
    void aMissingTargetColumnNamesWhatWasFoundAndWhatToAdd() throws IOException {
        Path file = csv("text_length,seconds\n400,2.5\n");

        assertThatThrownBy(() -> Dataset.readCsv(file, FEATURES))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file + " line 1")
                .hasMessageContaining("no 'exec_time' column (found text_length, seconds)")
                .hasMessageContaining("add the measured execution time in seconds");
    }

    @Test
    void negativeOrMissingExecutionTimesAreRejected() throws IOException {
        Path negative = csv("text_length,exec_time\n400,2.5\n400,-0.5\n");
        assertThatThrownBy(() -> Dataset.readCsv(negative, FEATURES))
                .isInstanceOf(DatasetException.class)
                .hasMessage(negative + " line 3, column 'exec_time': -0.5 is negative; execution times are seconds >= 0, so fix or delete the row");

        Path empty = csv("text_length,exec_time\n400,\n");
        assertThatThrownBy(() -> Dataset.readCsv(empty, FEATURES))
                .hasMessageContaining("line 2, column 'exec_time': the cell is empty");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRejected() throws IOException {
        Path file = csv("text_length,exec_time\n400,2.5,7\n");

        assertThatThrownBy(() -> Dataset.readCsv(file, FEATURES))
                .hasMessage(file + " line 2: 3 cells but the header has 2 columns; every row needs one value per header column");
    }

    @Test
    void anEmptyFileOrARepeatedColumnIsRejected() throws IOException {
        Path empty = csv("\n\n");
        assertThatThrownBy(() -> Dataset.readCsv(empty, FEATURES))
                .hasMessageContaining("is empty: expected a header row")
                .hasMessageContaining("text_length,token_count,batch_size,exec_time");

        Path repeated = csv("text_length,exec_time,text_length\n1,2,3\n");
        assertThatThrownBy(() -> Dataset.readCsv(repeated, FEATURES))
                .hasMessageContaining("line 1: column 'text_length' appears twice");
    }

    @Test
    void quotedHeaderNamesAndAByteOrderMarkAreAccepted() throws IOException {
        Path file = csv("\uFEFF\"text_length\",\"exec_time\"\r\n400,2.5\r\n");

        Dataset data = Dataset.readCsv(file, FEATURES);

        assertThat(data.row(0)[0]).isEqualTo(400);
        assertThat(data.target(0)).isEqualTo(2.5);
    }

    @Test
    void writtenFilesReadBackToTheSameDataSet() throws IOException {
        Dataset data = Dataset.of(FEATURES,
                new double[][] {{400, 100, 4}, {0.1 + 0.2, Double.NaN, 1e-7}, {-3, 9.87654321e11, 12345678.9}},
                new double[] {2.5, 1.0 / 3, 0});
        Path file = directory.resolve("out.csv");

        data.writeCsv(file);

        assertThat(Files.readAllLines(file).getFirst()).isEqualTo("text_length,token_count,batch_size,exec_time");
        assertThat(Files.readAllLines(file).get(1)).isEqualTo("400,100,4,2.5");
        assertThat(Dataset.readCsv(file, FEATURES)).isEqualTo(data);
    }

    @Test
    void appendingCreatesTheFileWithAHeaderThenAddsRows() throws IOException {
        Path file = directory.resolve("log.csv");

        Dataset.appendCsvRow(file, FEATURES, new double[] {400, 100, 4}, 2.5);
        Dataset.appendCsvRow(file, FEATURES, new double[] {81, Double.NaN, 1}, 0.75);

        assertThat(Files.readAllLines(file))
                .containsExactly("text_length,token_count,batch_size,exec_time", "400,100,4,2.5", "81,,1,0.75");
        Dataset data = Dataset.readCsv(file, FEATURES);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.row(1)[1]).isNaN();
    }

    @Test
    void appendingRefusesAFileWithOtherColumns() throws IOException {
        Path file = csv("text_length,exec_time\n400,2.5\n");

        assertThatThrownBy(() -> Dataset.appendCsvRow(file, FEATURES, new double[] {1, 2, 3}, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("header 'text_length,exec_time' differs from 'text_length,token_count,batch_size,exec_time'");
        assertThatThrownBy(() -> Dataset.appendCsvRow(file, FEATURES, new double[] {1, 2, 3}, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllLines(file)).hasSize(2);
    }
}
