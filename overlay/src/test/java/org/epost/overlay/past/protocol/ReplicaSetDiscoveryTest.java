package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * "Who are the k closest" for a node far from a handle, on 80 simulated nodes with leaf sets of 16: answered by
 * different nodes on different paths, and merged so that an answerer leaving the closest nodes out and naming far
 * ones in their place changes nothing while another path's answerer is honest.
 */
class ReplicaSetDiscoveryTest {
    private static final int K = PastRing.K;
    private static final int NODES = 80;

    /** Records who answered discoveries to {@code client}; rewrites the answers of {@code liars} to name far nodes. */
    private static final class Answers implements SimNetwork.Interceptor {
        final NodeHandle client;
        final Set<NodeHandle> liars;
        final List<NodeHandle> far;
        final Set<NodeHandle> answerers = new LinkedHashSet<>();
        int lies;

        Answers(NodeHandle client, Set<NodeHandle> liars, List<NodeHandle> far) {
            this.client = client;
            this.liars = liars;
            this.far = far;
        }

        @Override
        public Object intercept(NodeHandle from, NodeHandle to, Object message) {
            if (!to.equals(client) || !(message instanceof DirectMessage direct)
                    || !(direct.payload() instanceof ClosestReply reply)) {
                return message;
            }
            answerers.add(from);
            if (!liars.contains(from)) {
                return message;
            }
            lies++;
            Message instead = ClosestReply.of(reply.requestId(), from, reply.key(), far);
            return new DirectMessage(direct.application(), instead);
        }
    }

    @Test
    void aFarInsertFindsTheKClosestThroughDifferentAnswerersEvenWithOneLying() {
        PastRing ring = new PastRing(NODES, 111, PastRing.testConfig());
        PublicKeyBlock v1 = ring.publicKeyBlock("folder", 1);
        List<Past> closest = ring.closest(v1.handle());
        List<NodeHandle> kClosest = closest.subList(0, K).stream().map(Past::localHandle).toList();
        List<NodeHandle> far = closest.subList(closest.size() - 3, closest.size()).stream().map(Past::localHandle)
                .toList();
        Past client = closest.get(NODES / 2);

        Answers honest = new Answers(client.localHandle(), Set.of(), far);
        ring.intercept(honest);
        InsertResult first = ring.await(client.insert(v1, ring.now() + PastRing.LEASE));
        assertThat(first.isSuccess()).isTrue();
        assertThat(first.holders()).containsExactlyInAnyOrderElementsOf(kClosest);
        assertThat(honest.answerers).as("different paths met different answerers").hasSizeGreaterThanOrEqualTo(2)
                .doesNotContain(client.localHandle());
        assertThat(client.discoveries()).isPositive();

        // The same paths again, with the first answerer leaving the closest out and naming far nodes instead.
        NodeHandle liar = honest.answerers.iterator().next();
        Answers lying = new Answers(client.localHandle(), Set.of(liar), far);
        ring.intercept(lying);
        InsertResult second = ring.await(client.insert(ring.publicKeyBlock("folder", 2), ring.now()
                + PastRing.LEASE));

        assertThat(lying.lies).as("the liar answered").isPositive();
        assertThat(second.isSuccess()).isTrue();
        assertThat(second.holders()).as("the k closest, not the far nodes named")
                .containsExactlyInAnyOrderElementsOf(kClosest);
        for (Past farNode : closest.subList(closest.size() - 3, closest.size())) {
            assertThat(ring.storeOf(farNode).get(v1.key())).as("nothing stored on a far node").isEmpty();
        }
    }

    /**
     * Answers not bound to the link that brought them or to the question: one passed off as another answerer's (as a
     * node relaying or replaying it would), one about another key, one of another version. Each is refused, logged
     * and counted, its path counts as unanswered, and the insert still finds the k closest on the other paths.
     */
    @Test
    void aForgedOrAlteredAnswerIsRefusedAndCounted() {
        PastRing ring = new PastRing(NODES, 113, PastRing.testConfig());
        PublicKeyBlock v1 = ring.publicKeyBlock("box", 1);
        List<Past> closest = ring.closest(v1.handle());
        List<NodeHandle> kClosest = closest.subList(0, K).stream().map(Past::localHandle).toList();
        Past client = closest.get(NODES / 2);
        NodeHandle someoneElse = closest.get(1).localHandle();
        int[] altered = {0};
        ring.intercept((from, to, message) -> {
            if (!to.equals(client.localHandle()) || !(message instanceof DirectMessage direct)
                    || !(direct.payload() instanceof ClosestReply reply) || altered[0] >= 3) {
                return message;
            }
            ClosestReply instead = switch (altered[0]++) {
                case 0 -> ClosestReply.of(reply.requestId(), someoneElse.equals(from) ? closest.get(2).localHandle()
                        : someoneElse, reply.key(), reply.closest());
                case 1 -> ClosestReply.of(reply.requestId(), reply.answerer(), org.epost.overlay.id.Id.hash("other"),
                        reply.closest());
                default -> new ClosestReply(ClosestReply.VERSION + 1, reply.requestId(), reply.answerer(),
                        reply.key(), reply.closest());
            };
            return new DirectMessage(direct.application(), instead);
        });

        InsertResult result = ring.await(client.insert(v1, ring.now() + PastRing.LEASE));
        InsertResult again = ring.await(client.insert(ring.publicKeyBlock("box", 2), ring.now() + PastRing.LEASE));

        assertThat(altered[0]).isEqualTo(3);
        assertThat(client.closestAnswersRefused()).as("each altered answer refused").isEqualTo(3);
        assertThat(result.isSuccess() && again.isSuccess()).isTrue();
        assertThat(result.holders()).containsExactlyInAnyOrderElementsOf(kClosest);
        assertThat(again.holders()).containsExactlyInAnyOrderElementsOf(kClosest);
    }
}
