package org.epost.overlay.sim;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;

/** Runs on every simulated node and reports each delivered {@link Lookup}, with its hop count, to the log. */
final class LookupApplication implements Application {
    static final String NAME = "sim.lookup";

    private final Id self;
    private final LookupLog log;
    private final SimNetwork network;
    /** forward() is called just before deliver() on the same thread: it is where the hop count is visible. */
    private Message lastForwarded;
    private int lastHops;

    LookupApplication(Id self, LookupLog log, SimNetwork network) {
        this.self = self;
        this.log = log;
        this.network = network;
    }

    @Override
    public boolean forward(RouteMessage msg) {
        lastForwarded = msg.message();
        lastHops = msg.hops();
        return true;
    }

    @Override
    public void deliver(Id key, Message msg) {
        if (msg instanceof Lookup lookup) {
            int hops = msg == lastForwarded ? lastHops : -1;
            log.delivered(lookup.lookupId(), self, hops);
            network.recordEvent(self, key, "deliver");
        }
    }
}
