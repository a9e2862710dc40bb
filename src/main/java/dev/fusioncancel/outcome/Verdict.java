package dev.fusioncancel.outcome;

/** An outcome with the human-readable reason for it. */
public record Verdict(Outcome outcome, String detail) {}
