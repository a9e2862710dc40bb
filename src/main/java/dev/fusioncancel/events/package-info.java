/**
 * Publishing outcome events: {@link dev.fusioncancel.events.OutcomeSink} (Pub/Sub via {@link
 * dev.fusioncancel.events.PubSubPublishers}, one publisher per topic per instance, or log lines
 * when {@code OUTCOME_TOPIC} is unset), and {@link dev.fusioncancel.events.PublishTracker}, which
 * makes sure every publish of an invocation is awaited before the function returns.
 */
package dev.fusioncancel.events;
