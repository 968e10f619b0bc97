/** Execution-time prediction that learns online: tool types, feature extraction, regressors, retraining. */
package dev.maze.predict;
