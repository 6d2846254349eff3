package org.epost.overlay.sim;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.time.Scheduler;
import org.epost.overlay.transport.Transport;

/**
 * One simulated node's link to the {@link SimNetwork}. Everything it hands its node (deliveries and timers) runs on
 * the simulation's single event queue; once the node has crashed, nothing runs any more and nothing is sent.
 */
public final class SimTransport implements Transport {
    private final SimNetwork network;
    private final NodeHandle handle;
    /** Position on the unit square: link latency grows with distance, which also serves as proximity metric. */
    final double x;
    final double y;
    private Listener listener;
    private boolean crashed;
    private final Scheduler scheduler;

    SimTransport(SimNetwork network, NodeHandle handle, double x, double y, SimScheduler simScheduler) {
        this.network = network;
        this.handle = handle;
        this.x = x;
        this.y = y;
        this.scheduler = new Scheduler() {
            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return simScheduler.schedule(delayMillis, () -> {
                    if (!crashed) {
                        task.run();
                    }
                });
            }

            @Override
            public long now() {
                return simScheduler.now();
            }
        };
    }

    /** The scheduler this node's state machine must use: its timers stop when the node crashes. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public NodeHandle localHandle() {
        return handle;
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void send(NodeHandle to, Object wireMessage) {
        if (!crashed) {
            network.send(this, to, wireMessage);
        }
    }

    @Override
    public long proximity(NodeHandle peer) {
        return network.proximity(this, peer);
    }

    public boolean isCrashed() {
        return crashed;
    }

    void crash() {
        crashed = true;
    }

    void receive(NodeHandle from, Object wireMessage) {
        if (!crashed && listener != null) {
            listener.receive(from, wireMessage);
        }
    }
}
