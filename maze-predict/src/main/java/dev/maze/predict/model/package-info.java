/**
 * Execution-time regressors: {@link dev.maze.predict.model.RegressorKind} trains and loads them,
 * {@link dev.maze.predict.model.Model} predicts with them, {@link dev.maze.predict.model.Metrics} and
 * {@link dev.maze.predict.model.PredictionLatency} measure them. Training may use XGBoost's native library
 * (gbt); prediction and loading are plain Java for every kind.
 */
package dev.maze.predict.model;
