package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.LeafSetView;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/**
 * A hand-off that routing brings back to the node handing off. On a loaded ring the closer node is sometimes
 * suspected (a link timed out) when the put is routed, so the put is delivered here; by the time this node reads its
 * own STORED, the closer node is back in its leaf set and this node is again not responsible. The fragment must stay:
 * nobody else has it. (Dropping it was the real ring's slow loss of redundancy; the overlay here is a scripted
 * double: routing delivers everything to this node, while the leaf set says a closer node exists.)
 */
class HandOffTest {

    /** One node: routed and direct messages come back to it; whether it is responsible is set by the test. */
    private static final class LoopbackOverlay implements Overlay {
        final NodeHandle self = new NodeHandle(Id.hash("self"), "127.0.0.1:1");
        final SimScheduler scheduler = new SimScheduler();
        boolean responsible = true;
        Application application;

        @Override
        public Endpoint registerApplication(String name, Application app) {
            this.application = app;
            return new Endpoint() {
                @Override
                public void route(Id key, Message msg, NodeHandle hint) {
                    scheduler.schedule(1, () -> application.deliver(key, msg));
                }

                @Override
                public void routeDirect(NodeHandle to, Message msg) {
                    scheduler.schedule(1, () -> application.deliverDirect(self, self.id(), msg));
                }

                @Override
                public NodeHandle localHandle() {
                    return self;
                }

                @Override
                public LeafSetView leafSet() {
                    return new LeafSetView() {
                        @Override
                        public List<NodeHandle> clockwise() {
                            return List.of();
                        }

                        @Override
                        public List<NodeHandle> counterClockwise() {
                            return List.of();
                        }

                        @Override
                        public List<NodeHandle> members() {
                            return List.of();
                        }

                        @Override
                        public boolean contains(Id id) {
                            return false;
                        }

                        @Override
                        public int size() {
                            return 0;
                        }
                    };
                }

                @Override
                public List<NodeHandle> replicaSet(Id key, int k) {
                    return List.of(self);
                }

                @Override
                public boolean isResponsibleFor(Id key) {
                    return responsible;
                }
            };
        }

        @Override
        public NodeHandle localHandle() {
            return self;
        }

        @Override
        public boolean isReady() {
            return true;
        }
    }

    @Test
    void aHandOffRoutedBackToThisNodeKeepsTheFragment() {
        LoopbackOverlay overlay = new LoopbackOverlay();
        Glacier glacier = new Glacier(overlay, null, (handle, kind, object) -> true, overlay.scheduler,
            GlacierConfig.defaults(GlacierRing.CODE));
        Id handle = Id.hash("object");
        glacier.archive(handle, 1, new byte[3000], overlay.scheduler.now() + 3_600_000);
        overlay.scheduler.runFor(1_000);
        assertThat(glacier.fragmentsHeld()).isEqualTo(GlacierRing.CODE.n());

        // A closer node joined: this node is no longer responsible, and hands off; routing brings every put back.
        overlay.responsible = false;
        glacier.auditNow();
        overlay.scheduler.runFor(60_000);

        assertThat(glacier.fragmentsHeld()).isEqualTo(GlacierRing.CODE.n());
        assertThat(glacier.fragmentsHandedOff()).isZero();
    }
}
