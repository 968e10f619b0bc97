package dev.maze.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.NodeSpec;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files over real HTTP: served without the token, while the API still asks for it. */
class DashboardTest {

    private static final String TOKEN = "dashboard-token-0123456789";
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/?[a-z][^\":]*)\"");

    @TempDir
    Path dir;

    private RunningServer server;

    @BeforeEach
    void start() throws Exception {
        server = RunningServer.start(dir, TOKEN, List.of(NodeSpec.of("local", 4, 16, 0, 0)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageAndEveryFileItLoadsAreServedWithoutTheToken() throws Exception {
        HttpResponse<String> page = server.send("GET", "/", null, null, false);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'self'"));
        assertThat(page.body()).contains("<title>Maze dashboard</title>");
        Matcher assets = ASSET.matcher(page.body());
        List<String> loaded = assets.results().map(match -> match.group(1)).toList();
        assertThat(loaded).as("the page loads the three libraries from their WebJars and its own files")
                .contains("/webjars/cytoscape/3.33.1/dist/cytoscape.min.js", "/webjars/dagre/0.8.4/dist/dagre.min.js",
                        "/webjars/echarts/5.3.1/dist/echarts.min.js", "dashboard.js", "dashboard.css");
        for (String asset : loaded) {
            HttpResponse<String> file = server.send("GET", asset.startsWith("/") ? asset : "/" + asset, null, null,
                    false);
            assertThat(file.statusCode()).as(asset).isEqualTo(200);
            assertThat(file.body()).as(asset).isNotBlank();
        }
    }

    @Test
    void theApiStillAsksForTheTokenAndNothingButTheDashboardIsServedFromTheClasspath() throws Exception {
        assertThat(server.send("GET", "/api/v1/workflows", null, null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/api/v1/nodes", null, null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/api/v1/no-such-route", null, null, false).statusCode()).isEqualTo(401);
        assertThat(server.send("GET", "/api/v1/workflows", null, null, true).statusCode()).isEqualTo(200);
        for (String path : List.of("/db/migration/sqlite/V1__journal.sql", "/dashboard/../db/migration/sqlite/V1__journal.sql",
                "/%2e%2e/db/migration/sqlite/V1__journal.sql", "/dev/maze/server/api/MazeServer.class",
                "/webjars/cytoscape/3.33.1/dist/nothing.js")) {
            HttpResponse<String> response = server.send("GET", path, null, null, false);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(response.body()).as(path).doesNotContain("CREATE TABLE");
        }
    }
}
