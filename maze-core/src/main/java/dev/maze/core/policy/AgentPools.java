package dev.maze.core.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent-level frameworks as the Maze paper measured them (AutoGen, AgentScope): each workflow type has a pool of
 * agents; a new workflow goes to the next agent of its type in round-robin order, whether or not that agent is
 * busy; an agent runs one workflow at a time and queues the rest in order. Agent {@code i} of the {@code k}-th type
 * lives on node {@code (k * agentsPerType + i) mod nodes} (plus {@code k} when {@code agentsPerType} is a multiple
 * of the node count), so pools spread over the cluster: with one agent per type (profile {@code agent}'s default, as in
 * the Maze artifact's agent-level runs, where no two workflows of one type ever overlapped) the {@code k}-th type's
 * agent lives on node {@code k mod nodes}. Use with {@link AgentPolicy}, which runs a workflow's tasks one at a time in
 * topological order on its agent's node.
 */
public final class AgentPools implements WorkflowAdmission {

    private static final class Agent {
        final int node;
        String current;
        final ArrayDeque<String> waiting = new ArrayDeque<>();

        Agent(int node) {
            this.node = node;
        }
    }

    private final int agentsPerType;
    private final int nodes;
    private final Map<String, List<Agent>> pools = new HashMap<>();
    private final Map<String, Integer> nextAgent = new HashMap<>();
    private final Map<String, Agent> agentOf = new HashMap<>();

    /**
     * @param agentsPerType agents in each type's pool
     * @param nodes nodes in the cluster
     */
    public AgentPools(int agentsPerType, int nodes) {
        if (agentsPerType < 1 || nodes < 1) {
            throw new IllegalArgumentException("agentsPerType and nodes must be >= 1");
        }
        this.agentsPerType = agentsPerType;
        this.nodes = nodes;
    }

    @Override
    public Decision onSubmit(String workflowId, String workflowName) {
        List<Agent> pool = pools.computeIfAbsent(workflowName, name -> {
            // Pools in order of first appearance, each starting where the previous one ended; when a pool covers the
            // nodes a whole number of times (one agent per node per type), each starts one node further instead, so
            // the types' first agents do not all share node 0.
            int k = pools.size();
            int offset = k * agentsPerType + (agentsPerType % nodes == 0 ? k : 0);
            List<Agent> agents = new ArrayList<>(agentsPerType);
            for (int i = 0; i < agentsPerType; i++) {
                agents.add(new Agent((offset + i) % nodes));
            }
            return agents;
        });
        int index = nextAgent.merge(workflowName, 1, Integer::sum) - 1;
        Agent agent = pool.get(index % agentsPerType);
        agentOf.put(workflowId, agent);
        if (agent.current == null) {
            agent.current = workflowId;
            return new Decision(true, agent.node);
        }
        agent.waiting.add(workflowId);
        return new Decision(false, agent.node);
    }

    @Override
    public List<String> onFinish(String workflowId) {
        Agent agent = agentOf.remove(workflowId);
        if (agent == null) {
            return List.of();
        }
        if (!workflowId.equals(agent.current)) {
            agent.waiting.remove(workflowId); // ended while waiting (cancelled)
            return List.of();
        }
        agent.current = agent.waiting.poll();
        return agent.current == null ? List.of() : List.of(agent.current);
    }
}
