/** An OpenAI-compatible fake model server. */
package dev.maze.fakellm;
