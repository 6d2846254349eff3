package org.epost.peer.metrics;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.epost.overlay.metrics.MetricSink;

import com.codahale.metrics.MetricRegistry;

/**
 * ePOST's figures in James's own Dropwizard registry, so that they appear wherever the operator already reads
 * James's: the Prometheus route of WebAdmin ({@code GET /metrics}, names with dots turned into underscores), JMX
 * and any reporter configured for James. Counters stay counters, distributions become histograms and latencies
 * timers, each with a counter {@code <name>.total.micros} of its sum; the registry creates each on first use and is
 * itself thread-safe.
 */
@Singleton
public final class RegistryMetricSink implements MetricSink {
    /** Suffix of the counter that sums a timer's latencies, in microseconds. */
    public static final String TOTAL_MICROS = ".total.micros";

    private final MetricRegistry registry;

    @Inject
    public RegistryMetricSink(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void count(String name, long delta) {
        registry.counter(name).inc(delta);
    }

    @Override
    public void record(String name, long value) {
        registry.histogram(name).update(value);
    }

    @Override
    public void time(String name, long nanos) {
        registry.timer(name).update(nanos, TimeUnit.NANOSECONDS);
        // a timer's quantiles decay over minutes and Prometheus's summary of it has no sum: the total lets a
        // dashboard or a benchmark take the mean over any window, (total2 - total1) / (count2 - count1)
        registry.counter(name + TOTAL_MICROS).inc(TimeUnit.NANOSECONDS.toMicros(nanos));
    }
}
