package org.epost.overlay.metrics;

/**
 * Where the overlay and the services above it report what operators chart: counts of events, values whose
 * distribution matters (routing hops) and latencies. The protocols only report; they never read a metric back, so
 * a sink can never change what a node does and the simulator stays deterministic. A peer hands in a sink backed by
 * James's Dropwizard registry (and so its Prometheus route); everything else runs with {@link #NONE}.
 *
 * <p>Names are dotted, lower case and start with {@code epost.} (e.g. {@code epost.past.insert}); implementations
 * must be thread-safe and cheap, as they are called on the node's thread.
 */
public interface MetricSink {
    MetricSink NONE = new MetricSink() {
        @Override
        public void count(String name, long delta) {
        }

        @Override
        public void record(String name, long value) {
        }

        @Override
        public void time(String name, long nanos) {
        }
    };

    /** Adds {@code delta} to the counter {@code name}. */
    void count(String name, long delta);

    /** One observation of a distribution, such as the hops a routed message took. */
    void record(String name, long value);

    /** One observed latency. */
    void time(String name, long nanos);

    default void count(String name) {
        count(name, 1);
    }
}
