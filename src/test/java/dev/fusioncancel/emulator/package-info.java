/**
 * A local, faithful stand-in for the Cloud Data Fusion {@code projects.locations.operations} REST
 * methods, for tests, benchmarks and the local demo.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-11-26T10:00:00Z"));
 * try (FusionEmulator emu = FusionEmulator.builder().clock(clock).build()) {
 *   emu.seed("projects/p/locations/l/operations/o", Behaviour.cancellable(Duration.ofSeconds(30)));
 *   emu.faults().unavailableNext(2);               // next two requests answer 503
 *   // point the client at emu.endpoint() ...
 *   clock.advance(Duration.ofSeconds(30));         // the cancelled operation is now done
 *   assertEquals(1, emu.journal().cancelCount("projects/p/locations/l/operations/o"));
 * }
 * }</pre>
 *
 * <p>Fidelity notes: as in every Google REST API, fields at their default value are omitted, so a
 * running operation has no {@code done} field (clients must read a missing {@code done} as false)
 * and {@code requestedCancellation} appears only when true. Errors are {@code google.rpc.Status}
 * envelopes; unknown query parameters answer 400 like the real API; {@code operations.list} pages
 * in name order ({@code pageSize} default 100, clamped to 1000) and ignores {@code filter}.
 *
 * <p>Standalone: {@code mvn -q exec:java -Dexec.mainClass=dev.fusioncancel.emulator.Main
 * -Dexec.args="--port 8090"}; scripts seed and inspect it under {@code /emulator/} ({@code POST
 * reset, seed, faults}; {@code GET journal, counters, operations}).
 */
package dev.fusioncancel.emulator;
