/**
 * Training data for the execution-time predictor: {@link dev.maze.predict.data.Dataset} (feature rows and
 * measured execution times, read from and written to CSV) and {@link dev.maze.predict.data.DatasetGenerator}
 * (seeded synthetic data per built-in tool type, for tests and benchmarks).
 */
package dev.maze.predict.data;
