package org.epost.overlay.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/** Lookup figures of one measurement phase. */
public record PhaseResult(int lookups, int delivered, int deliveredToClosest, double meanHops, int maxHops) {

    /** Fraction of lookups delivered (only) to the numerically closest live node. */
    public double deliveredToClosestFraction() {
        return lookups == 0 ? 0 : (double) deliveredToClosest / lookups;
    }

    /**
     * The phase as an ordered, extensible JSON object: callers add their own fields (failed nodes, PAST's
     * replicas_ok...) to the returned map.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mean_hops", Math.round(meanHops * 1000) / 1000.0);
        json.put("max_hops", maxHops);
        json.put("delivered_to_closest", deliveredToClosestFraction());
        json.put("lookups", lookups);
        json.put("delivered", delivered);
        return json;
    }
}
