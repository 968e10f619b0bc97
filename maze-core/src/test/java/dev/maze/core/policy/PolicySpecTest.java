package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Choosing a policy by name, with parameters. */
class PolicySpecTest {

    @Test
    void createsEveryRegisteredPolicyByName() {
        for (String name : OrderingPolicies.names()) {
            assertThat(OrderingPolicies.create(name).name()).isEqualTo(name);
        }
    }

    @Test
    void dapsParametersChangeTheOrder() {
        assertThat(OrderingPolicies.create("daps:order=aging,aging=30").name()).isEqualTo("daps-aging");
        assertThat(OrderingPolicies.create("daps-aging:order=submit").name()).isEqualTo("daps");
        assertThat(OrderingPolicies.create("daps:w1=3,w2=0.5,maxInferences=10")).isInstanceOf(DapsPolicy.class);
        assertThat(((DapsPolicy) OrderingPolicies.create("daps:maxInferences=10")).maxKnownInferences()).isEqualTo(10);
    }

    @Test
    void rejectsUnknownNamesParametersAndValuesSayingWhatIsAccepted() {
        assertThatThrownBy(() -> OrderingPolicies.create("fastest"))
                .hasMessageContaining("unknown policy 'fastest'").hasMessageContaining("daps, daps-aging, daps-laxity, fcfs, agent, hacs");
        assertThatThrownBy(() -> OrderingPolicies.create("daps:w9=1"))
                .hasMessageContaining("unknown parameter(s) [w9]").hasMessageContaining("w1, w2, order, aging, maxInferences, ema, expected");
        assertThatThrownBy(() -> OrderingPolicies.create("daps:w1=-1")).hasMessageContaining("w1 must be a number >= 0");
        assertThatThrownBy(() -> OrderingPolicies.create("daps:order=random")).hasMessageContaining("'submit', 'aging' or 'laxity'");
        assertThatThrownBy(() -> OrderingPolicies.create("fcfs:w1=1")).hasMessageContaining("it takes none");
        assertThatThrownBy(() -> OrderingPolicies.create("daps:w1")).hasMessageContaining("expected key=value");
    }
}
