/**
 * Time as the engine sees it: {@link dev.maze.core.clock.Clock}, real ({@link dev.maze.core.clock.WallClock}) or
 * simulated ({@link dev.maze.core.clock.VirtualClock}). Its own package because executors read the clock too, and
 * they must not depend on the engine.
 */
package dev.maze.core.clock;
