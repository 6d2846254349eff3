package org.epost.overlay.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.id.Id;

/** Which node each lookup should reach, and where (and after how many hops) it was delivered. */
final class LookupLog {
    record Delivery(Id at, int hops) {
    }

    private static final class Entry {
        final Id expected;
        final List<Delivery> deliveries = new ArrayList<>(1);

        Entry(Id expected) {
            this.expected = expected;
        }
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<>();

    void expect(long lookupId, Id closestLiveNode) {
        entries.put(lookupId, new Entry(closestLiveNode));
    }

    void delivered(long lookupId, Id at, int hops) {
        Entry entry = entries.get(lookupId);
        if (entry != null) {
            entry.deliveries.add(new Delivery(at, hops));
        }
    }

    /** Statistics of the lookups with ids in [from, to). */
    PhaseResult summarize(long from, long to) {
        int total = 0;
        int delivered = 0;
        int correct = 0;
        long hopSum = 0;
        int maxHops = 0;
        for (long id = from; id < to; id++) {
            Entry entry = entries.get(id);
            if (entry == null) {
                continue;
            }
            total++;
            if (entry.deliveries.isEmpty()) {
                continue;
            }
            delivered++;
            int hops = entry.deliveries.get(0).hops();
            hopSum += hops;
            maxHops = Math.max(maxHops, hops);
            if (entry.deliveries.stream().allMatch(d -> d.at().equals(entry.expected))) {
                correct++;
            }
        }
        return new PhaseResult(total, delivered, correct, delivered == 0 ? 0 : (double) hopSum / delivered, maxHops);
    }
}
