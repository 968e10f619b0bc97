/**
 * Feature extraction for the execution-time predictor: turns a task's inputs (a prompt, an image file, a WAV file)
 * into named numbers a regressor can learn from.
 *
 * <p>Every extractor is a static, stateless, thread-safe function of its input, returns its features in a fixed
 * documented order (an unmodifiable, insertion-ordered map), and is deterministic: the same input gives the same
 * numbers on every machine, so a model trained on one node predicts on another. The features are cheap proxies
 * for the work a tool will do (tokens for an LLM, pixels and text-like area for OCR or captioning, duration for
 * speech recognition), not semantic measures; a regressor learns how each tool's time depends on them.
 *
 * <p>Files that cannot be read produce an {@link java.io.IOException} whose message names the file and what is
 * wrong with it, so a workflow author can act on it without a stack trace.
 */
package dev.maze.predict.features;
