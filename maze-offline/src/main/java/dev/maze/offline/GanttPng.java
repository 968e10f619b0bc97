package dev.maze.offline;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * A plan as a Gantt chart in PNG, drawn with Java2D (headless): the layout of {@link GanttSvg} — one row per GPU, a
 * rectangle per task (a k-GPU task spanning its k rows) coloured by model, a grey one per switch, an axis in seconds
 * and a legend of the models.
 */
public final class GanttPng {

    private static final int LEFT = GanttSvg.LEFT;
    private static final int WIDTH = GanttSvg.WIDTH;
    private static final int ROW = GanttSvg.ROW;
    private static final int TOP = GanttSvg.TOP;

    private GanttPng() {}

    /** The chart's PNG bytes. */
    public static byte[] png(Plan plan) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Problem problem = plan.problem();
        double makespan = Math.max(plan.makespan(), 1e-9);
        double scale = WIDTH / makespan;
        int legendRows = (problem.modelCount() + 5) / 6;
        int height = TOP + problem.gpus() * ROW + 40 + legendRows * 18;
        BufferedImage image = new BufferedImage(LEFT + WIDTH + 20, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.setColor(Color.BLACK);
            g.drawString(plan.strategy() + ": makespan " + GanttSvg.fmt(plan.makespan()) + " s, "
                    + plan.switches().size() + " switches", LEFT, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int gpu = 0; gpu < problem.gpus(); gpu++) {
                int y = TOP + gpu * ROW;
                g.setColor(Color.BLACK);
                g.drawString("GPU " + gpu, 4, y + ROW / 2 + 4);
                g.setColor(new Color(0xee, 0xee, 0xee));
                g.drawLine(LEFT, y + ROW, LEFT + WIDTH, y + ROW);
            }
            for (Plan.Switch sw : plan.switches()) {
                g.setColor(new Color(0xbb, 0xbb, 0xbb));
                g.fill(new Rectangle2D.Double(LEFT + sw.at() * scale, TOP + sw.gpu() * ROW + 2,
                        Math.max(sw.seconds() * scale, 0.5), ROW - 4));
            }
            g.setStroke(new BasicStroke(0.5f));
            for (int i = 0; i < problem.size(); i++) {
                Rectangle2D box = new Rectangle2D.Double(LEFT + plan.start(i) * scale, TOP + plan.firstGpu(i) * ROW + 2,
                        Math.max(problem.seconds(i) * scale, 0.5), problem.gpusNeeded(i) * ROW - 4);
                g.setColor(colour(problem.model(i), problem.modelCount()));
                g.fill(box);
                g.setColor(new Color(0x33, 0x33, 0x33));
                g.draw(box);
            }
            int axis = TOP + problem.gpus() * ROW;
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, axis, LEFT + WIDTH, axis);
            double step = GanttSvg.tick(makespan);
            for (double t = 0; t <= makespan + 1e-9; t += step) {
                int x = (int) Math.round(LEFT + t * scale);
                g.drawLine(x, axis, x, axis + 4);
                String label = GanttSvg.fmt(t);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, axis + 15);
            }
            g.drawString("seconds", LEFT + WIDTH - g.getFontMetrics().stringWidth("seconds"), axis + 28);
            for (int m = 0; m < problem.modelCount(); m++) {
                int x = LEFT + (m % 6) * 160;
                int y = axis + 36 + (m / 6) * 18;
                g.setColor(colour(m, problem.modelCount()));
                g.fillRect(x, y, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(problem.modelName(m), x + 16, y + 10);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** The SVG's hue for a model, as a Java colour. */
    private static Color colour(int model, int models) {
        return Color.getHSBColor(GanttSvg.hue(model, models) / 360f, 0.5f, 0.85f);
    }
}
