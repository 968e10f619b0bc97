package dev.maze.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.HeadOfLine;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.policy.WorkflowAdmission;
import dev.maze.core.policy.WorkflowAdmission.Decision;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.policy.DapsPolicy;
import dev.maze.core.policy.LtfPolicy;
import dev.maze.core.predict.EmaPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one registry of scheduler profiles: names, specs with parameters, and what a profile puts on an engine. */
class SchedulerProfilesTest {

    private static final List<NodeSpec> NODES = List.of(NodeSpec.of("n0", 4, 16, 0, 0));

    @Test
    void knowsTheBuiltInProfilesInReportOrder() {
        assertThat(SchedulerProfiles.names()).startsWith("daps", "daps-warm", "fcfs", "hacs", "ltf", "mars-ordering",
                "mars-placement", "mars", "agent");
        assertThat(SchedulerProfiles.all()).extracting(SchedulerProfile::name).containsExactlyElementsOf(SchedulerProfiles.names());
        assertThat(SchedulerProfiles.get("daps").ordering()).isEqualTo("daps:maxInferences=10,ema=0.2");
        assertThat(SchedulerProfiles.get("mars").ordering()).isEqualTo("daps-laxity:maxInferences=10,ema=0.2");
        SchedulerProfile ltf = SchedulerProfiles.get("ltf");
        assertThat(ltf.ordering()).isEqualTo("ltf");
        assertThat(ltf.residency()).as("Hugging Face backend").isEqualTo(ModelResidency.UNLOAD_AFTER_CALL);
        assertThat(ltf.headOfLine()).isEqualTo(HeadOfLine.BLOCK_RESOURCE_CLASS);
        assertThat(ltf.predictor()).isSameAs(SchedulerProfiles.MAZE_EMA);
        assertThat(ltf.placement()).isSameAs(SchedulerProfiles.get("daps").placement());
        assertThat(SchedulerProfiles.get("ltf:order=longest").newOrdering()).isInstanceOf(LtfPolicy.class);
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> SchedulerProfiles.get("dapz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown profile 'dapz'; known profiles: daps, daps-warm, fcfs, hacs, ltf,")
                .hasMessageContaining("mars, agent");
        assertThatThrownBy(() -> SchedulerProfiles.get("dapz:w1=0")).hasMessageStartingWith("unknown profile 'dapz'");
    }

    @Test
    void orderingParametersOverrideWhatTheProfileSetsAndLeaveTheRestAsItIs() {
        SchedulerProfile daps = SchedulerProfiles.get("daps");
        SchedulerProfile ablation = SchedulerProfiles.get("daps:w1=0,w2=1,maxInferences=4");

        assertThat(ablation.name()).as("named by the whole spec, for reports").isEqualTo("daps:w1=0,w2=1,maxInferences=4");
        assertThat(ablation.ordering()).isEqualTo("daps:maxInferences=4,ema=0.2,w1=0,w2=1");
        assertThat(ablation.residency()).isEqualTo(daps.residency()).isEqualTo(ModelResidency.UNLOAD_AFTER_CALL);
        assertThat(ablation.headOfLine()).isEqualTo(daps.headOfLine()).isEqualTo(HeadOfLine.BLOCK_RESOURCE_CLASS);
        assertThat(ablation.placement()).isSameAs(daps.placement());
        assertThat(ablation.predictor()).isSameAs(daps.predictor());
        assertThat(ablation.description()).startsWith(daps.description()).endsWith("(w1=0, w2=1, maxInferences=4)");
        assertThat(((DapsPolicy) ablation.newOrdering()).maxKnownInferences()).isEqualTo(4);

        // An ordering parameter may change the order: mars ordered submission first is DAPS as coded again.
        assertThat(SchedulerProfiles.get("mars:order=submit").newOrdering().name()).isEqualTo("daps");
        assertThat(SchedulerProfiles.get("mars").newOrdering().name()).isEqualTo("daps-laxity");
        assertThat(SchedulerProfiles.get("daps:")).as("an empty parameter list changes nothing").isSameAs(daps);
    }

    @Test
    void aMisspeltKeyNamesTheProfileAndTheKeysItKnows() {
        assertThatThrownBy(() -> SchedulerProfiles.get("daps:w3=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile daps: unknown parameter 'w3'; the profile has no parameters of its own; its ordering "
                        + "daps takes w1, w2, order, aging, maxInferences, ema, expected");
        assertThatThrownBy(() -> SchedulerProfiles.get("fcfs:w1=1,x=2"))
                .hasMessage("profile fcfs: unknown parameters 'w1', 'x'; the profile has no parameters of its own; its "
                        + "ordering fcfs takes none");
    }

    @Test
    void aBadValueOrPairIsRefusedNamingTheProfile() {
        assertThatThrownBy(() -> SchedulerProfiles.get("daps:w1=-1"))
                .hasMessageStartingWith("profile daps: ").hasMessageContaining("w1 must be a number >= 0, got '-1'");
        assertThatThrownBy(() -> SchedulerProfiles.get("mars:order=random"))
                .hasMessageStartingWith("profile mars: ").hasMessageContaining("'submit', 'aging' or 'laxity'");
        assertThatThrownBy(() -> SchedulerProfiles.get("daps:w1")).hasMessage("profile daps: expected key=value, got 'w1'");
    }

    @Test
    void agentsSetsTheAgentPoolSizeAndDefaultsToOneAgentPerType() {
        // Eight nodes, two workflows of type A: with one agent per type the second waits for the first's agent.
        WorkflowAdmission one = SchedulerProfiles.get("agent").admission().apply(8);
        assertThat(one.onSubmit("a1", "A")).isEqualTo(new Decision(true, 0));
        assertThat(one.onSubmit("a2", "A")).as("one agent per type").isEqualTo(new Decision(false, 0));
        assertThat(one.onSubmit("b1", "B")).as("type B's agent, on the next node").isEqualTo(new Decision(true, 1));

        WorkflowAdmission perNode = SchedulerProfiles.get("agent:agents=per-node").admission().apply(8);
        assertThat(perNode.onSubmit("a1", "A").startNow()).isTrue();
        assertThat(perNode.onSubmit("a2", "A")).as("agent 2 of 8 for type A").isEqualTo(new Decision(true, 1));

        WorkflowAdmission three = SchedulerProfiles.get("agent:agents=3").admission().apply(8);
        assertThat(List.of("a1", "a2", "a3", "a4")).extracting(id -> three.onSubmit(id, "A").startNow())
                .containsExactly(true, true, true, false);
        assertThat(SchedulerProfiles.get("agent:agents=per-node").ordering()).isEqualTo("agent");
    }

    @Test
    void aBadPoolSizeOrAnOrderingKeyOnAgentIsRefused() {
        assertThatThrownBy(() -> SchedulerProfiles.get("agent:agents=0"))
                .hasMessage("profile agent: agents must be a whole number >= 1 or 'per-node', got '0'");
        assertThatThrownBy(() -> SchedulerProfiles.get("agent:agents=many")).hasMessageContaining("got 'many'");
        assertThatThrownBy(() -> SchedulerProfiles.get("agent:w1=1"))
                .hasMessageStartingWith("profile agent: unknown parameter 'w1'; the profile's own: agents (agents per "
                        + "workflow type: 1 (default")
                .hasMessageEndingWith("; its ordering agent takes none");
    }

    @Test
    void configurePutsTheProfileOnTheEngineAndAFreshOrderingEachTime() throws Exception {
        SchedulerProfile mars = SchedulerProfiles.get("mars");
        try (Engine one = mars.configure(Engine.builder(), NODES).clock(new VirtualClock()).build();
                Engine two = mars.configure(Engine.builder(), NODES).clock(new VirtualClock()).build()) {
            assertThat(one.policyName()).isEqualTo("daps-laxity");
            assertThat(two.policyName()).isEqualTo("daps-laxity");
        }
        assertThat(mars.newOrdering()).as("policies keep statistics: never shared").isNotSameAs(mars.newOrdering());
    }

    @Test
    void aLearnedProfileTakesTheHostsLearnedPredictorAndAnyOtherKeepsItsOwn() throws Exception {
        AtomicInteger ownCalls = new AtomicInteger();
        SchedulerProfile.Predictor learned = new SchedulerProfile.Predictor("learned", true, () -> counting(ownCalls));
        SchedulerProfile learnedDaps = SchedulerProfiles.get("daps").withPredictor("daps-test-learned", "test", learned);

        AtomicInteger hostCalls = new AtomicInteger();
        runOneTask(learnedDaps.configure(Engine.builder(), NODES, counting(hostCalls)));
        assertThat(hostCalls).as("the host's learned predictor predicts").hasPositiveValue();
        assertThat(ownCalls).hasValue(0);

        runOneTask(learnedDaps.configure(Engine.builder(), NODES));
        assertThat(ownCalls).as("without one from the host, a fresh one from the profile").hasPositiveValue();

        AtomicInteger ignored = new AtomicInteger();
        runOneTask(SchedulerProfiles.get("daps").configure(Engine.builder(), NODES, counting(ignored)));
        assertThat(ignored).as("daps predicts with its own moving average").hasValue(0);
    }

    @Test
    void orderingOnlyIsTheOrderingOnTheEnginesDefaults() {
        SchedulerProfile fcfs = SchedulerProfiles.orderingOnly("fcfs", SchedulerProfiles.MAZE_EMA);
        assertThat(fcfs.name()).isEqualTo("fcfs");
        assertThat(fcfs.residency()).isEqualTo(ModelResidency.KEEP);
        assertThat(fcfs.headOfLine()).isEqualTo(HeadOfLine.RESERVE_AND_BACKFILL);
        assertThat(fcfs.admission()).isNull();
        assertThatThrownBy(() -> SchedulerProfiles.orderingOnly("fastest", SchedulerProfiles.MAZE_EMA))
                .hasMessageStartingWith("unknown policy 'fastest'; known policies: daps");
        assertThat(SchedulerProfiles.names()).as("not registered").doesNotContain("fcfs:x");
    }

    @Test
    void aRegisteredNameCannotHoldAParameterSeparator() {
        assertThatThrownBy(() -> SchedulerProfiles.register(SchedulerProfiles.get("daps").withPredictor("a:b", "x",
                SchedulerProfiles.MAZE_EMA))).hasMessageContaining("cannot contain ':'");
    }

    private static RuntimePredictor counting(AtomicInteger calls) {
        EmaPredictor ema = new EmaPredictor(EmaPredictor.MAZE_INITIAL, 0.2);
        return new RuntimePredictor() {
            @Override
            public double predictSeconds(TaskSpec task) {
                calls.incrementAndGet();
                return ema.predictSeconds(task);
            }
        };
    }

    private static void runOneTask(Engine.Builder builder) throws Exception {
        try (Engine engine = builder.clock(new VirtualClock()).build()) {
            engine.submit(WorkflowBuilder.workflow("w").id("w").task("t", t -> t.input("seconds", 1)).build());
            engine.runUntilIdle();
        }
    }
}
