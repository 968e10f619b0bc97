package dev.maze.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GPUs' timelines while a strategy builds a plan: what each GPU runs, in order, and the model it holds after its
 * last task. It answers when a task could start on a group of GPUs — appended after each GPU's last task, or
 * inserted into an idle gap (HEFT's insertion policy) where the switches into the task and out of it to the next one
 * both fit — and records a placement. Switch times come from {@link Problem#switchSeconds}.
 */
final class Timelines {

    /** One placed task on one GPU. */
    private record Slot(double start, double end, int model) {}

    private final Problem problem;
    private final List<List<Slot>> slots = new ArrayList<>();
    private final double[] start;
    private final int[] first;
    private final double[] busy;

    Timelines(Problem problem) {
        this.problem = problem;
        for (int g = 0; g < problem.gpus(); g++) {
            slots.add(new ArrayList<>());
        }
        start = new double[problem.size()];
        Arrays.fill(start, Double.NaN);
        first = new int[problem.size()];
        busy = new double[problem.gpus()];
    }

    /** When every predecessor of {@code task} ends (all must be placed). */
    double ready(int task) {
        double ready = 0;
        for (int p : problem.predecessors(task)) {
            ready = Math.max(ready, start[p] + problem.seconds(p));
        }
        return ready;
    }

    /** The model GPU {@code g} holds after its last placed task. */
    int heldAfterLast(int g) {
        List<Slot> on = slots.get(g);
        return on.isEmpty() ? problem.initialModel(g) : on.get(on.size() - 1).model();
    }

    /** The model GPU {@code g} holds just before a task starting at {@code at}: that of its last task starting earlier. */
    int heldBefore(int g, double at) {
        List<Slot> on = slots.get(g);
        for (int i = on.size() - 1; i >= 0; i--) {
            if (on.get(i).start() < at) {
                return on.get(i).model();
            }
        }
        return problem.initialModel(g);
    }

    /** When GPU {@code g}'s last placed task ends. */
    double freeAt(int g) {
        List<Slot> on = slots.get(g);
        return on.isEmpty() ? 0 : on.get(on.size() - 1).end();
    }

    /** Seconds GPU {@code g} runs tasks in the plan so far. */
    double busySeconds(int g) {
        return busy[g];
    }

    /**
     * The earliest start of {@code task} on GPUs {@code firstGpu ..} at or after {@code notBefore}: after each GPU's
     * last task ({@code insert} false), or in the first gap of every GPU of the group that fits it ({@code insert}).
     */
    double earliestStart(int task, int firstGpu, double notBefore, boolean insert) {
        int k = problem.gpusNeeded(task);
        double t = notBefore;
        while (true) {
            double latest = t;
            for (int g = firstGpu; g < firstGpu + k; g++) {
                latest = Math.max(latest, insert ? fitOn(g, task, t) : appendOn(g, task, t));
            }
            if (latest <= t + Verifier.EPSILON / 10) {
                return t;
            }
            t = latest; // one GPU of the group moved the start: the others must fit it there too
        }
    }

    private double appendOn(int g, int task, double notBefore) {
        return Math.max(notBefore, freeAt(g) + problem.switchSeconds(heldAfterLast(g), problem.model(task)));
    }

    /** The earliest start at or after {@code notBefore} in a gap of GPU {@code g} that fits the task's switches. */
    private double fitOn(int g, int task, double notBefore) {
        int m = problem.model(task);
        double d = problem.seconds(task);
        List<Slot> on = slots.get(g);
        // gaps closing before notBefore cannot hold the task: start at the first slot starting at or after it
        // (slots are in order of start), the same answer as scanning from the first
        int lo = 0;
        int hi = on.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (on.get(mid).start() < notBefore - Verifier.EPSILON / 10) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        double prevEnd = lo == 0 ? 0 : on.get(lo - 1).end();
        int prevModel = lo == 0 ? problem.initialModel(g) : on.get(lo - 1).model();
        for (Slot next : on.subList(lo, on.size())) {
            double s = Math.max(notBefore, prevEnd + problem.switchSeconds(prevModel, m));
            if (s + d + problem.switchSeconds(m, next.model()) <= next.start() + Verifier.EPSILON / 10) {
                return s;
            }
            prevEnd = next.end();
            prevModel = next.model();
        }
        return Math.max(notBefore, prevEnd + problem.switchSeconds(prevModel, m));
    }

    /** Places {@code task} on GPUs {@code firstGpu ..} at {@code at} (a start {@link #earliestStart} gave). */
    void place(int task, int firstGpu, double at) {
        start[task] = at;
        first[task] = firstGpu;
        Slot slot = new Slot(at, at + problem.seconds(task), problem.model(task));
        for (int g = firstGpu; g < firstGpu + problem.gpusNeeded(task); g++) {
            List<Slot> on = slots.get(g);
            int position = on.size();
            // in Plan.timeline's order, by start then end: a task of no time goes before one starting with it
            while (position > 0 && (on.get(position - 1).start() > at
                    || on.get(position - 1).start() == at && on.get(position - 1).end() > slot.end())) {
                position--;
            }
            on.add(position, slot);
            busy[g] += problem.seconds(task);
        }
    }

    boolean placed(int task) {
        return !Double.isNaN(start[task]);
    }

    Plan plan(String strategy) {
        return new Plan(strategy, problem, start, first);
    }
}
