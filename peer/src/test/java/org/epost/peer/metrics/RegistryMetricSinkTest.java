package org.epost.peer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;

/** ePOST's figures in a real Dropwizard registry: a timer keeps its sum beside it, for means over any window. */
class RegistryMetricSinkTest {
    @Test
    void aTimerIsKeptWithTheSumOfItsLatenciesInMicroseconds() {
        MetricRegistry registry = new MetricRegistry();
        RegistryMetricSink sink = new RegistryMetricSink(registry);
        sink.time("epost.notify.home.seen", TimeUnit.MILLISECONDS.toNanos(12));
        sink.time("epost.notify.home.seen", 3_500_000);
        long before = registry.counter("epost.notify.home.seen" + RegistryMetricSink.TOTAL_MICROS).getCount();
        sink.time("epost.notify.home.seen", TimeUnit.MILLISECONDS.toNanos(40));

        assertThat(registry.timer("epost.notify.home.seen").getCount()).isEqualTo(3);
        long total = registry.counter("epost.notify.home.seen.total.micros").getCount();
        assertThat(before).isEqualTo(15_500);
        assertThat(total).isEqualTo(55_500);
        // the mean of the last window: (total2 - total1) / (count2 - count1)
        assertThat(total - before).isEqualTo(40_000);
    }

    @Test
    void countersAndHistogramsGetNoSum() {
        MetricRegistry registry = new MetricRegistry();
        RegistryMetricSink sink = new RegistryMetricSink(registry);
        sink.count("epost.notify.delivered", 2);
        sink.record("epost.route.hops", 3);
        assertThat(registry.counter("epost.notify.delivered").getCount()).isEqualTo(2);
        assertThat(registry.histogram("epost.route.hops").getCount()).isEqualTo(1);
        assertThat(registry.getCounters().keySet()).containsExactly("epost.notify.delivered");
    }
}
