package org.epost.peer.webadmin;

import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.node.RingStatus;
import org.epost.peer.overlay.OverlayService;

import spark.Service;

/** {@code GET /epost/ring}: this peer's overlay node — its id, its leaf set, how full its routing table is. */
public class EpostRingRoutes implements Routes {
    public static final String RING_PATH = EpostStatusRoutes.BASE_PATH + "/ring";

    /** One node as the ring page shows it. */
    public record Node(String id, String address) {
        static Node of(NodeHandle handle) {
            return new Node(handle.id().toHex(), handle.address());
        }
    }

    /** The JSON body of /epost/ring. */
    public record Ring(boolean enabled, Node node, boolean ready, boolean joinConfigured, List<Node> leafSet,
                       int leafSetCapacity, int routingTableEntries, long ringSizeEstimate) {
    }

    private final OverlayService overlay;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostRingRoutes(OverlayService overlay, JsonTransformer jsonTransformer) {
        this.overlay = overlay;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostStatusRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(RING_PATH, (request, response) -> {
            response.type("application/json");
            return ring();
        }, jsonTransformer);
    }

    Ring ring() throws Exception {
        Optional<RingStatus> status = overlay.status();
        if (status.isEmpty()) {
            return new Ring(false, null, false, false, List.of(), 0, 0, 0);
        }
        RingStatus ring = status.get();
        return new Ring(true, Node.of(ring.self()), ring.ready(), overlay.node().map(n -> n.joinConfigured()).orElse(false),
            ring.leafSet().stream().map(Node::of).toList(), ring.leafSetCapacity(), ring.routingTableEntries(),
            ring.ringSizeEstimate());
    }
}
