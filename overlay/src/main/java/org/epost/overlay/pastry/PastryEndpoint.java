package org.epost.overlay.pastry;

import java.util.List;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Lane;
import org.epost.overlay.api.LeafSetView;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;

/** One application's handle on a {@link PastryNode}. */
final class PastryEndpoint implements Endpoint {
    private final PastryNode node;
    private final String name;
    private final Application application;

    PastryEndpoint(PastryNode node, String name, Application application) {
        this.node = node;
        this.name = name;
        this.application = application;
    }

    Application application() {
        return application;
    }

    @Override
    public void route(Id key, Message msg, NodeHandle hint) {
        node.route(name, key, msg, hint);
    }

    @Override
    public void routeDirect(NodeHandle to, Message msg) {
        node.routeDirect(name, to, msg, Lane.of(msg));
    }

    @Override
    public void routeDirect(NodeHandle to, Message msg, Lane lane) {
        node.routeDirect(name, to, msg, Lane.of(msg) == Lane.BULK ? Lane.BULK : lane);
    }

    @Override
    public NodeHandle localHandle() {
        return node.localHandle();
    }

    @Override
    public LeafSetView leafSet() {
        return node.leafSet();
    }

    @Override
    public List<NodeHandle> replicaSet(Id key, int k) {
        return node.replicaSet(key, k);
    }

    @Override
    public List<NodeHandle> firstHops(Id key, int count) {
        return node.firstHops(key, count);
    }

    @Override
    public boolean knowsClosest(Id key, int k) {
        List<NodeHandle> closest = node.replicaSet(key, k);
        return node.isReady() && !closest.isEmpty()
                && node.leafSet().noStrangerCloser(key, closest.get(closest.size() - 1).id());
    }

    @Override
    public boolean isResponsibleFor(Id key) {
        return node.isResponsibleFor(key);
    }
}
