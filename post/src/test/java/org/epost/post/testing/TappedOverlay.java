package org.epost.post.testing;

import java.util.List;
import java.util.function.Consumer;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;

/**
 * An overlay node as an application sees it, with every message the application registered on it gets shown first to
 * taps (a hostile node's view of what it is sent), and the endpoint it registered remembered (to send from it as any
 * node could). Used by {@link PostRing} and by tests on real overlay nodes.
 */
public final class TappedOverlay implements Overlay {
    private final Overlay node;
    private final List<Consumer<Message>> taps;
    private Endpoint endpoint;

    public TappedOverlay(Overlay node, List<Consumer<Message>> taps) {
        this.node = node;
        this.taps = taps;
    }

    /** Registers {@code app} behind a tap: each message it gets is shown to the node's taps first. */
    @Override
    public Endpoint registerApplication(String name, Application app) {
        endpoint = node.registerApplication(name, new Application() {
            @Override
            public void deliver(Id key, Message msg) {
                taps.forEach(tap -> tap.accept(msg));
                app.deliver(key, msg);
            }

            @Override
            public void deliverDirect(NodeHandle sender, Id localKey, Message msg) {
                taps.forEach(tap -> tap.accept(msg));
                app.deliverDirect(sender, localKey, msg);
            }

            @Override
            public boolean forward(RouteMessage msg) {
                return app.forward(msg);
            }

            @Override
            public void update(NodeHandle handle, boolean joined) {
                app.update(handle, joined);
            }
        });
        return endpoint;
    }

    /** The endpoint the application registered (null before). */
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public NodeHandle localHandle() {
        return node.localHandle();
    }

    @Override
    public boolean isReady() {
        return node.isReady();
    }
}
