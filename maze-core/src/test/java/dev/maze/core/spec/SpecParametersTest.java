package dev.maze.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.placement.Placements;
import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.profile.SchedulerProfiles;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A key given twice in a spec is refused (which one was meant cannot be known), for every kind of spec. */
class SpecParametersTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "policy | daps:w1=1,w1=2 | policy daps: parameter 'w1' is given twice (w1=1, w1=2); give it once",
        "policy | daps:w1=1, w2=1 , w1 =1 | policy daps: parameter 'w1' is given twice (w1=1, w1=1); give it once",
        "policy | ltf:order=submit,order=longest | policy ltf: parameter 'order' is given twice",
        "placement | default:modelResident=0,modelResident=1 | placement default: parameter 'modelResident' is given twice",
        "profile | daps:w1=0,w2=1,w1=3 | profile daps: parameter 'w1' is given twice (w1=0, w1=3)",
        "profile | agent:agents=1,agents=per-node | profile agent: parameter 'agents' is given twice"})
    void aKeyGivenTwiceIsAnErrorNamingItAndBothValues(String kind, String spec, String message) {
        assertThatThrownBy(() -> {
            switch (kind) {
                case "policy" -> OrderingPolicies.create(spec);
                case "placement" -> Placements.create(spec);
                default -> SchedulerProfiles.get(spec);
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void distinctKeysAreKeptInOrder() {
        assertThat(SpecParameters.pairs("policy", "daps", "w1=1, w2=2,,order=aging").entrySet().stream()
                .map(Object::toString).toList()).isEqualTo(List.of("w1=1", "w2=2", "order=aging"));
    }
}
