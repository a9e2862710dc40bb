/**
 * The Pub/Sub {@code messagePublished} CloudEvent as Eventarc delivers it to the bulk function:
 * strict, bounded decoding of the envelope into the message data, id, publish time, attributes and
 * trigger topic.
 */
package dev.fusioncancel.pubsub;
