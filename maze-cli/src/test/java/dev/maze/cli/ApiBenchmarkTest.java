package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.server.store.PrivatePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code maze bench api}: every submission accepted over HTTP, stored, and run to its end (no timing asserted). */
class ApiBenchmarkTest {

    @Test
    void everyWorkflowIsAcceptedStoredAndEnds() throws Exception {
        InProcessMaze.Result result = maze("bench", "api", "--workflows", "60", "--warm-up", "20", "--clients", "4", "--batch",
                "3", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(result.out());
        assertThat(report.path("refused").asInt()).isZero();
        assertThat(report.path("notEnded").asInt()).isZero();
        // Each 2-task chain is 8 events: accepted, 2 x (ready, started, finished), ended; the warm-up's are stored too.
        assertThat(report.path("eventsStored").asLong()).isEqualTo((60 + 20) * 8);
        assertThat(report.path("warmUpWorkflows").asInt()).isEqualTo(20);
        assertThat(report.path("warmUpAcceptedPerSecond").asLong()).isPositive();
        assertThat(report.path("acceptedPerSecond").asLong()).isPositive();
    }

    @Test
    void onPostgresEveryWorkflowIsStoredThereAndThePasswordIsNotShown() throws Exception {
        PrivatePostgres postgres = PrivatePostgres.shared();
        String url = postgres.createDatabase();
        InProcessMaze.Result result = maze("bench", "api", "--workflows", "30", "--warm-up", "0", "--clients", "4",
                "--batch", "3", "--store", url + "&password=" + postgres.password(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(result.out());
        assertThat(report.path("refused").asInt()).isZero();
        assertThat(report.path("notEnded").asInt()).isZero();
        assertThat(report.path("store").asText()).isEqualTo(url);
        assertThat(result.out() + result.err()).doesNotContain(postgres.password());
        try (Connection connection = postgres.connect(url); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM events")) {
            count.next();
            assertThat(count.getLong(1)).isEqualTo(30 * 8);
        }
    }

    @Test
    void sizesOutOfRangeAreUsageErrors() {
        assertThat(maze("bench", "api", "--workflows", "0").exitCode()).isEqualTo(2);
        assertThat(maze("bench", "api", "--clients", "5000").exitCode()).isEqualTo(2);
        assertThat(maze("bench", "api", "--batch", "0").exitCode()).isEqualTo(2);
        assertThat(maze("bench", "api", "--warm-up", "-1").exitCode()).isEqualTo(2);
    }
}
