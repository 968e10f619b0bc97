package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrderingPoliciesTest {

    @Test
    void knowsEveryPolicyByNameAndGivesEachEngineItsOwnInstance() {
        assertThat(OrderingPolicies.names()).containsExactly("daps", "daps-aging", "daps-laxity", "fcfs", "agent", "hacs", "hacs-static", "ltf");
        for (String name : OrderingPolicies.names()) {
            OrderingPolicy policy = OrderingPolicies.create(name);
            assertThat(policy.name()).isEqualTo(name);
            assertThat(OrderingPolicies.create(name)).as("policies keep statistics: never shared").isNotSameAs(policy);
        }
        assertThat(OrderingPolicies.create("daps")).isInstanceOf(DapsPolicy.class);
        assertThat(OrderingPolicies.create("agent")).isInstanceOf(AgentPolicy.class);
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> OrderingPolicies.create("dapz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown policy 'dapz'; known policies: daps, daps-aging, daps-laxity, fcfs, agent, hacs, hacs-static, ltf");
    }
}
