package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * A hostile root (a certified ring member closest to a handle) against honest readers and writers that know the
 * handle's holders themselves, on 30 simulated nodes: it answers lookups with nothing, names holders that never got
 * the block, stays silent, serves an old public-key version, or claims an insert succeeded without replicating it.
 * The honest node still reads the block (the newest version) and still gets k durable replicas, and counts the root
 * it bypassed ({@link Past#rootsBypassed()}, logged).
 */
class HostileRootTest {
    private static final int K = PastRing.K;

    private enum Mode {
        /** Answers lookups with no copy and names only itself as holder. */
        EMPTY,
        /** Answers lookups with no copy and names far nodes that never got the block. */
        FAKE_HOLDERS,
        /** Takes requests and answers none of them, nor replicates as root. */
        SILENT,
        /** Answers lookups with the old public-key version it kept, naming only itself. */
        OLD_VERSION,
        /** Answers inserts "stored on k" naming far nodes, without replicating. */
        LYING_INSERT
    }

    /** What the hostile node sends instead of what its honest code would. */
    private static final class HostileRoot implements SimNetwork.Interceptor {
        final NodeHandle self;
        final Mode mode;
        final List<NodeHandle> far;
        final byte[] oldCopy;
        int lies;

        HostileRoot(NodeHandle self, Mode mode, List<NodeHandle> far, byte[] oldCopy) {
            this.self = self;
            this.mode = mode;
            this.far = far;
            this.oldCopy = oldCopy;
        }

        @Override
        public Object intercept(NodeHandle from, NodeHandle to, Object message) {
            if (!from.equals(self) || !(message instanceof DirectMessage direct)) {
                return message;
            }
            Message payload = direct.payload();
            Message instead = switch (mode) {
                case EMPTY -> payload instanceof LookupReply reply
                        ? new LookupReply(reply.requestId(), self, new byte[0], 0, List.of(self)) : payload;
                case FAKE_HOLDERS -> payload instanceof LookupReply reply
                        ? new LookupReply(reply.requestId(), self, new byte[0], 0, far) : payload;
                case SILENT -> payload instanceof LookupReply || payload instanceof InsertReply
                        || payload instanceof StoreReply || payload instanceof FetchReply
                        || payload instanceof StoreRequest ? null : payload;
                case OLD_VERSION -> payload instanceof LookupReply reply
                        ? new LookupReply(reply.requestId(), self, oldCopy, reply.leaseExpiry(), List.of(self))
                        : payload instanceof FetchReply reply
                        ? new FetchReply(reply.requestId(), oldCopy, reply.leaseExpiry()) : payload;
                case LYING_INSERT -> payload instanceof InsertReply reply
                        ? new InsertReply(reply.requestId(), InsertResult.Status.SUCCESS.name(), "",
                        withSelf(far)) : payload instanceof StoreRequest ? null : payload;
            };
            if (instead != payload) {
                lies++;
            }
            return instead == null ? null : new DirectMessage(direct.application(), instead);
        }

        private List<NodeHandle> withSelf(List<NodeHandle> others) {
            List<NodeHandle> named = new ArrayList<>(List.of(self));
            named.addAll(others);
            return named;
        }
    }

    @Test
    void aRootAnsweringNothingOrNamingFakeHoldersDoesNotHideABlock() {
        for (Mode mode : List.of(Mode.EMPTY, Mode.FAKE_HOLDERS, Mode.SILENT)) {
            PastRing ring = new PastRing(30, 21 + mode.ordinal(), PastRing.testConfig());
            List<Block> blocks = List.of(ring.contentBlock(), ring.publicKeyBlock("inbox", 3));
            for (Block block : blocks) {
                assertThat(ring.await(ring.randomLive().insert(block, ring.now() + PastRing.LEASE)).isSuccess())
                        .isTrue();
                List<Past> closest = ring.closest(block.handle());
                HostileRoot hostile = new HostileRoot(closest.get(0).localHandle(), mode, far(closest), null);
                ring.intercept(hostile);
                Past reader = closest.get(K + 1);
                long bypassed = reader.rootsBypassed();

                Optional<Block> found = ring.await(reader.lookup(block.key()));
                assertThat(found).as("%s: %s", mode, block).isPresent();
                assertThat(PastRing.sameBlock(found.get(), block)).isTrue();
                assertThat(hostile.lies).as("%s: the root lied or kept silent", mode).isPositive();
                if (mode != Mode.EMPTY) { // an empty answer is what an honest fresh root gives too: not counted
                    assertThat(reader.rootsBypassed()).as("%s: bypassed and logged", mode).isGreaterThan(bypassed);
                }
                ring.intercept(SimNetwork.Interceptor.NONE);
            }
        }
    }

    @Test
    void aRootServingAnOldPublicKeyVersionCannotRollAReaderBack() {
        PastRing ring = new PastRing(30, 31, PastRing.testConfig());
        PublicKeyBlock v1 = ring.publicKeyBlock("identity", 1);
        PublicKeyBlock v2 = ring.publicKeyBlock("identity", 2);
        long lease = ring.now() + PastRing.LEASE;
        assertThat(ring.await(ring.randomLive().insert(v1, lease)).isSuccess()).isTrue();
        assertThat(ring.await(ring.randomLive().insert(v2, lease)).isSuccess()).isTrue();
        List<Past> closest = ring.closest(v2.handle());
        HostileRoot hostile = new HostileRoot(closest.get(0).localHandle(), Mode.OLD_VERSION, far(closest),
                v1.encoded());
        ring.intercept(hostile);
        Past reader = closest.get(K + 1); // has never read the handle: no memory of v2 to hold on to

        Optional<Block> found = ring.await(reader.lookup(v2.key()));
        assertThat(found).isPresent();
        assertThat(((PublicKeyBlock) found.get()).version()).isEqualTo(2);
        assertThat(hostile.lies).isPositive();
    }

    @Test
    void aSilentRootDoesNotStopAnInsertOfKDurableReplicas() {
        PastRing ring = new PastRing(30, 41, PastRing.testConfig());
        Insert insert = insertNearby(ring, ring.contentBlock(), Mode.SILENT);
        NodeHandle hostile = insert.hostile().self;
        assertThat(insert.result().holders()).hasSize(K).doesNotContain(hostile);
        assertThat(ring.holders(insert.block().key()).stream().map(Past::localHandle).filter(h -> !h.equals(hostile)))
                .as("k durable replicas on honest nodes").hasSizeGreaterThanOrEqualTo(K);
        // and an honest reader gets it back past the still silent root
        assertThat(ring.await(insert.closest().get(K + 2).lookup(insert.block().key()))).isPresent();
    }

    @Test
    void aRootClaimingAnInsertItDidNotReplicateIsBypassed() {
        PastRing ring = new PastRing(30, 51, PastRing.testConfig());
        Insert insert = insertNearby(ring, ring.publicKeyBlock("log", 1), Mode.LYING_INSERT);
        assertThat(insert.hostile().lies).as("the root claimed success and did not replicate").isPositive();
        assertThat(insert.result().holders()).hasSize(K);
        List<NodeHandle> holding = ring.holders(insert.block().key()).stream().map(Past::localHandle).toList();
        assertThat(holding).containsAll(insert.result().holders()).doesNotContainAnyElementsOf(insert.hostile().far);
    }

    /** An insert by a node near the handle while its root is hostile; it succeeded and bypassed the root. */
    private record Insert(Block block, List<Past> closest, HostileRoot hostile, InsertResult result) {
    }

    private static Insert insertNearby(PastRing ring, Block block, Mode mode) {
        List<Past> closest = ring.closest(block.handle());
        HostileRoot hostile = new HostileRoot(closest.get(0).localHandle(), mode, far(closest), null);
        ring.intercept(hostile);
        Past client = closest.get(K + 1);
        InsertResult result = ring.await(client.insert(block, ring.now() + PastRing.LEASE));
        assertThat(result.status()).as("%s", mode).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(client.rootsBypassed()).as("%s: bypassed and logged", mode).isPositive();
        return new Insert(block, closest, hostile, result);
    }

    /** Two live nodes far from the handle: never among its holders. */
    private static List<NodeHandle> far(List<Past> closest) {
        return List.of(closest.get(closest.size() - 1).localHandle(), closest.get(closest.size() - 2).localHandle());
    }
}
