package dev.maze.offline;

import java.util.Locale;

/**
 * A plan as a Gantt chart in SVG (hand-written text, no library): one row per GPU, one {@code rect class="task"} per
 * task (a task on k GPUs spans their k rows, which are consecutive), coloured by model, a hatched
 * {@code rect class="switch"} per switch just before the task it loads a model for, and an axis in seconds.
 */
public final class GanttSvg {

    static final int LEFT = 70;
    static final int WIDTH = 1000;
    static final int ROW = 26;
    static final int TOP = 30;

    private GanttSvg() {}

    public static String svg(Plan plan) {
        Problem problem = plan.problem();
        double makespan = Math.max(plan.makespan(), 1e-9);
        double scale = WIDTH / makespan;
        int legendRows = (problem.modelCount() + 5) / 6;
        int height = TOP + problem.gpus() * ROW + 40 + legendRows * 18;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LEFT + WIDTH + 20).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ddd\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888\" stroke-width=\"2\"/></pattern></defs>\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"13\">")
                .append(escape(plan.strategy() + ": makespan " + fmt(plan.makespan()) + " s, "
                        + plan.switches().size() + " switches"))
                .append("</text>\n");
        for (int g = 0; g < problem.gpus(); g++) {
            int y = TOP + g * ROW;
            s.append("<text x=\"4\" y=\"").append(y + ROW / 2 + 4).append("\">GPU ").append(g).append("</text>\n");
            s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y + ROW).append("\" x2=\"")
                    .append(LEFT + WIDTH).append("\" y2=\"").append(y + ROW).append("\" stroke=\"#eee\"/>\n");
        }
        for (Plan.Switch sw : plan.switches()) {
            s.append("<rect class=\"switch\" x=\"").append(fmt(LEFT + sw.at() * scale)).append("\" y=\"")
                    .append(TOP + sw.gpu() * ROW + 2).append("\" width=\"").append(fmt(Math.max(sw.seconds() * scale, 0.5)))
                    .append("\" height=\"").append(ROW - 4).append("\" fill=\"url(#hatch)\"><title>")
                    .append(escape("switch " + (sw.from() == null ? "(empty)" : sw.from()) + " -> " + sw.to() + ", "
                            + fmt(sw.seconds()) + " s, before " + sw.beforeTask()))
                    .append("</title></rect>\n");
        }
        for (int i = 0; i < problem.size(); i++) {
            int m = problem.model(i);
            double x = LEFT + plan.start(i) * scale;
            double w = Math.max(problem.seconds(i) * scale, 0.5);
            int y = TOP + plan.firstGpu(i) * ROW + 2;
            int h = problem.gpusNeeded(i) * ROW - 4;
            s.append("<rect class=\"task\" data-task=\"").append(escape(problem.task(i).id())).append("\" x=\"")
                    .append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(h).append("\" fill=\"").append(colour(m, problem.modelCount()))
                    .append("\" stroke=\"#333\" stroke-width=\"0.3\"><title>")
                    .append(escape(problem.task(i).id() + " (" + problem.modelName(m) + "): " + fmt(plan.start(i))
                            + " - " + fmt(plan.end(i)) + " s"))
                    .append("</title></rect>\n");
        }
        int axis = TOP + problem.gpus() * ROW;
        s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(axis).append("\" x2=\"").append(LEFT + WIDTH)
                .append("\" y2=\"").append(axis).append("\" stroke=\"#000\"/>\n");
        double step = tick(makespan);
        for (double t = 0; t <= makespan + 1e-9; t += step) {
            double x = LEFT + t * scale;
            s.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(axis).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(axis + 4).append("\" stroke=\"#000\"/><text x=\"").append(fmt(x))
                    .append("\" y=\"").append(axis + 15).append("\" text-anchor=\"middle\">").append(fmt(t))
                    .append("</text>\n");
        }
        s.append("<text x=\"").append(LEFT + WIDTH).append("\" y=\"").append(axis + 28)
                .append("\" text-anchor=\"end\">seconds</text>\n");
        for (int m = 0; m < problem.modelCount(); m++) {
            int x = LEFT + (m % 6) * 160;
            int y = axis + 36 + (m / 6) * 18;
            s.append("<rect class=\"legend\" x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\" "
                    + "height=\"12\" fill=\"").append(colour(m, problem.modelCount())).append("\"/><text x=\"")
                    .append(x + 16).append("\" y=\"").append(y + 10).append("\">").append(escape(problem.modelName(m)))
                    .append("</text>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** An HTML page showing {@link #svg}. */
    public static String html(Plan plan) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape("maze plan: " + plan.strategy())
                + "</title></head>\n<body>\n" + svg(plan) + "</body></html>\n";
    }

    private static String colour(int model, int models) {
        return "hsl(" + hue(model, models) + ",60%,60%)";
    }

    /** A model's hue on the colour wheel, degrees: the models spread evenly around it (the PNG uses the same). */
    static int hue(int model, int models) {
        return (model * 360 / Math.max(models, 1) + 200) % 360;
    }

    static double tick(double span) {
        double raw = span / 10;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double f : new double[] {1, 2, 5, 10}) {
            if (raw <= f * power) {
                return f * power;
            }
        }
        return 10 * power;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
