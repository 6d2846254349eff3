package org.epost.durability.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.epost.durability.glacier.GlacierFigures;
import org.epost.overlay.metrics.MetricSink;
import org.junit.jupiter.api.Test;

class MetricReporterTest {
    private final List<String> seen = new ArrayList<>();
    private final MetricSink sink = new MetricSink() {
        @Override
        public void count(String name, long delta) {
            seen.add(name + "+" + delta);
        }

        @Override
        public void record(String name, long value) {
            seen.add(name + "=" + value);
        }

        @Override
        public void time(String name, long nanos) {
            seen.add(name + " " + nanos + "ns");
        }
    };

    private static GlacierFigures figures(int held, long regenerated, long audits) {
        return new GlacierFigures(48, 5, held, held * 100L, 1 << 20, held, regenerated, 0, 0, 0, 0, 0, 0, audits,
            10 * audits, 8 * audits, 0, 0, 0, 0);
    }

    @Test
    void totalsBecomeCountsOfWhatChangedSinceTheLastReport() {
        MetricReporter reporter = new MetricReporter(sink);
        reporter.report(figures(3, 1, 2));
        assertThat(seen).contains("epost.glacier.fragments.held=3", "epost.glacier.fragment.bytes=300",
            "epost.glacier.fragments.stored+3", "epost.glacier.fragments.regenerated+1", "epost.glacier.audit.rounds+2",
            "epost.glacier.messages.sent+20", "epost.glacier.messages.maintenance+16");
        seen.clear();
        reporter.report(figures(3, 1, 5));
        assertThat(seen).containsExactly("epost.glacier.fragments.held=3", "epost.glacier.fragment.bytes=300",
            "epost.glacier.audit.rounds+3", "epost.glacier.messages.sent+30", "epost.glacier.messages.maintenance+24");
    }
}
