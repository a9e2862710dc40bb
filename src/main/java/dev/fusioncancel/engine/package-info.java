/**
 * The one cancel-and-check engine both functions run on ({@link
 * dev.fusioncancel.engine.CancelEngine}), the one table that says what an upstream answer means
 * ({@link dev.fusioncancel.engine.AnswerTable}), and the {@link dev.fusioncancel.engine.Workers}
 * seam through which concurrency is injected (threads in production, a seeded scheduler under
 * virtual time in the simulation).
 */
package dev.fusioncancel.engine;
