package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/**
 * A hostile root against honest readers and writers FAR from the handle, on 80 simulated nodes with leaf sets of 16:
 * the reader and the writer cannot tell the handle's holders from their own leaf sets, so before the replica-set
 * discovery they had only the root's word. The root denies a block (and names far nodes when asked who is closest),
 * stays silent, claims an insert SUCCESS naming real holders without having stored anything (and forges the holders'
 * confirmations from its own link), serves an old public-key version, or answers a lease extension with 0. The honest
 * node still reads the block (the newest version), gets k durable replicas on honest nodes, and extends the lease on
 * the holders. Each test fails on the code before the discovery (the reader gets nothing or v1, the insert ends with
 * its replicas on the root alone, the lease reaches no holder).
 */
class FarHostileRootTest {
    private static final int K = PastRing.K;
    private static final int NODES = 80;
    /** A node this far down the list of nodes by distance to a handle is well beyond any leaf set holding it. */
    private static final int FAR = NODES / 2;

    private enum Mode {
        /** Answers lookups with no copy naming only itself, and "who is closest" with far nodes. */
        DENY,
        /** Sends no PAST answer and no replica at all. */
        SILENT,
        /**
         * Claims an insert stored on itself and the next two closest without storing or replicating anything, and
         * passes its own hold confirmation off as theirs.
         */
        FAKE_SUCCESS,
        /** Serves the old public-key version it kept. */
        OLD_VERSION,
        /** Answers lease extensions "held by nobody" without extending anything. */
        LEASE_DENIED,
        /** Answers lease extensions "held by k + 2" without having any other holder extend it. */
        LEASE_INFLATED
    }

    private static final class HostileRoot implements SimNetwork.Interceptor {
        final NodeHandle self;
        final Mode mode;
        final List<NodeHandle> far;
        final List<NodeHandle> named;
        final byte[] oldCopy;
        /** The hold checks the client sent to the other holders: their request ids, for forged confirmations. */
        final Map<NodeHandle, Long> checksToOthers = new HashMap<>();
        int lies;

        HostileRoot(NodeHandle self, Mode mode, List<NodeHandle> far, List<NodeHandle> named, byte[] oldCopy) {
            this.self = self;
            this.mode = mode;
            this.far = far;
            this.named = named;
            this.oldCopy = oldCopy;
        }

        @Override
        public Object intercept(NodeHandle from, NodeHandle to, Object message) {
            if (!(message instanceof DirectMessage direct)) {
                return message;
            }
            Message payload = direct.payload();
            if (!from.equals(self)) {
                if (payload instanceof HoldCheck check && !to.equals(self)) {
                    checksToOthers.put(to, check.requestId());
                }
                return message;
            }
            Message instead = switch (mode) {
                case DENY -> payload instanceof LookupReply reply
                        ? new LookupReply(reply.requestId(), self, new byte[0], 0, List.of(self))
                        : payload instanceof ClosestReply reply ? ClosestReply.of(reply.requestId(), self, reply.key(), far)
                        : payload;
                case SILENT -> payload instanceof LookupReply || payload instanceof InsertReply
                        || payload instanceof StoreReply || payload instanceof FetchReply
                        || payload instanceof StoreRequest || payload instanceof ClosestReply
                        || payload instanceof HoldConfirm || payload instanceof LeaseReply
                        || payload instanceof LeaseExtendReply ? null : payload;
                case FAKE_SUCCESS -> fakeSuccess(payload);
                case OLD_VERSION -> payload instanceof LookupReply reply
                        ? new LookupReply(reply.requestId(), self, oldCopy, reply.leaseExpiry(), List.of(self))
                        : payload instanceof FetchReply reply
                        ? new FetchReply(reply.requestId(), oldCopy, reply.leaseExpiry()) : payload;
                case LEASE_DENIED -> payload instanceof LeaseReply reply ? new LeaseReply(reply.requestId(), 0)
                        : payload instanceof LeaseExtendReply || payload instanceof LeaseExtend ? null : payload;
                case LEASE_INFLATED -> payload instanceof LeaseReply reply ? new LeaseReply(reply.requestId(), K + 2)
                        // asks the others to extend to nothing, so that it answers at once
                        : payload instanceof LeaseExtend extend ? new LeaseExtend(extend.requestId(), extend.sender(),
                        extend.handle(), extend.kind(), 1) : payload;
            };
            if (instead != payload) {
                lies++;
            }
            return instead == null ? null : new DirectMessage(direct.application(), instead);
        }

        private Message fakeSuccess(Message payload) {
            if (payload instanceof InsertReply reply) {
                return new InsertReply(reply.requestId(), InsertResult.Status.SUCCESS.name(), "", named);
            }
            if (payload instanceof StoreRequest store) {
                // replicates nothing: an empty block, refused at once, so that it can claim success quickly
                return new StoreRequest(store.requestId(), store.sender(), store.handle(), new byte[0],
                        store.leaseExpiry());
            }
            if (payload instanceof StoreReply) {
                return null; // and will not be made to store by the client either
            }
            if (payload instanceof HoldConfirm && !checksToOthers.isEmpty()) {
                // its own confirmation, sent as the answer to the check the client sent another holder
                long forged = checksToOthers.values().iterator().next();
                return new HoldConfirm(forged, Long.MAX_VALUE);
            }
            return payload;
        }
    }

    @Test
    void aFarReaderGetsTheBlockPastADenyingOrSilentRoot() {
        for (Mode mode : List.of(Mode.DENY, Mode.SILENT)) {
            PastRing ring = new PastRing(NODES, 61 + mode.ordinal(), PastRing.testConfig());
            for (boolean publicKey : List.of(false, true)) {
                int reachedTheRoot = 0;
                // A lookup passing a holder on its way is answered there: only those reaching the root are tried.
                for (int i = 0; i < 12 && reachedTheRoot < 2; i++) {
                    Block block = publicKey ? ring.publicKeyBlock("inbox" + i, 3) : ring.contentBlock();
                    List<Past> closest = ring.closest(block.handle());
                    assertThat(ring.await(closest.get(1).insert(block, ring.now() + PastRing.LEASE)).isSuccess())
                            .isTrue();
                    HostileRoot hostile = hostile(ring, closest, mode, null);
                    Past reader = closest.get(FAR);

                    Optional<Block> found = ring.await(reader.lookup(block.key()));

                    ring.intercept(SimNetwork.Interceptor.NONE);
                    if (hostile.lies > 0) {
                        reachedTheRoot++;
                        assertThat(found).as("%s: %s", mode, block).isPresent();
                        assertThat(PastRing.sameBlock(found.get(), block)).isTrue();
                        assertThat(reader.discoveries()).as("%s: found the holders itself", mode).isPositive();
                    }
                }
                assertThat(reachedTheRoot).as("%s: lookups that met the hostile root", mode).isEqualTo(2);
            }
        }
    }

    @Test
    void aFarReaderIsNotRolledBackByARootServingAnOldVersion() {
        PastRing ring = new PastRing(NODES, 71, PastRing.testConfig());
        PublicKeyBlock v1 = ring.publicKeyBlock("identity", 1);
        PublicKeyBlock v2 = ring.publicKeyBlock("identity", 2);
        List<Past> closest = ring.closest(v2.handle());
        long lease = ring.now() + PastRing.LEASE;
        assertThat(ring.await(closest.get(1).insert(v1, lease)).isSuccess()).isTrue();
        assertThat(ring.await(closest.get(1).insert(v2, lease)).isSuccess()).isTrue();
        HostileRoot hostile = hostile(ring, closest, Mode.OLD_VERSION, v1.encoded());

        Optional<Block> found = ring.await(closest.get(FAR).lookup(v2.key())); // never read it: no memory of v2

        assertThat(found).isPresent();
        assertThat(((PublicKeyBlock) found.get()).version()).isEqualTo(2);
        assertThat(hostile.lies).isPositive();
    }

    @Test
    void aFarClientGetsKDurableReplicasOnHonestNodesPastASilentRoot() {
        PastRing ring = new PastRing(NODES, 81, PastRing.testConfig());
        Block block = ring.contentBlock();
        List<Past> closest = ring.closest(block.handle());
        HostileRoot hostile = hostile(ring, closest, Mode.SILENT, null);
        Past client = closest.get(FAR);

        InsertResult result = ring.await(client.insert(block, ring.now() + PastRing.LEASE));

        assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertKDurableHonestReplicas(ring, block, result, hostile);
        assertThat(client.rootsBypassed()).isPositive();
        assertThat(ring.await(closest.get(FAR + 5).lookup(block.key()))).isPresent();
    }

    @Test
    void aFarClientDoesNotBelieveARootClaimingSuccessItDidNotStore() {
        PastRing ring = new PastRing(NODES, 91, PastRing.testConfig());
        Block block = ring.publicKeyBlock("log", 1);
        List<Past> closest = ring.closest(block.handle());
        HostileRoot hostile = hostile(ring, closest, Mode.FAKE_SUCCESS, null);
        Past client = closest.get(FAR);
        long ignored = client.ignoredReplies();

        InsertResult result = ring.await(client.insert(block, ring.now() + PastRing.LEASE));

        assertThat(result.status()).isEqualTo(InsertResult.Status.SUCCESS);
        assertThat(hostile.lies).as("claimed success, stored nothing, forged a confirmation").isGreaterThan(2);
        assertKDurableHonestReplicas(ring, block, result, hostile);
        assertThat(client.rootsBypassed()).as("the unconfirmed claim counted").isPositive();
        assertThat(client.ignoredReplies()).as("the forged confirmation, from a node not asked")
                .isGreaterThan(ignored);
    }

    @Test
    void aFarLeaseExtensionReachesTheHoldersPastARootThatDeniesIt() {
        PastRing ring = new PastRing(NODES, 101, PastRing.testConfig());
        Block block = ring.contentBlock();
        List<Past> closest = ring.closest(block.handle());
        assertThat(ring.await(closest.get(1).insert(block, ring.now() + PastRing.LEASE / 3)).isSuccess()).isTrue();
        HostileRoot hostile = hostile(ring, closest, Mode.LEASE_DENIED, null);
        Past client = closest.get(FAR);
        long longer = ring.now() + 2 * PastRing.LEASE / 3;

        int holders = ring.await(client.extendLease(block.key(), longer));

        assertThat(holders).isGreaterThanOrEqualTo(K - 1);
        assertThat(hostile.lies).isPositive();
        assertThat(client.leasesExtendedDirectly()).isPositive();
        long extended = ring.holders(block.key()).stream().filter(past -> !past.localHandle().equals(hostile.self))
                .filter(past -> ring.storeOf(past).get(block.key()).orElseThrow().leaseExpiry() >= longer).count();
        assertThat(extended).as("honest holders now holding it for the longer lease").isGreaterThanOrEqualTo(K - 1);
    }

    @Test
    void aFarLeaseExtensionIsNotBelievedOnARootsCountAlone() {
        PastRing ring = new PastRing(NODES, 103, PastRing.testConfig());
        Block block = ring.contentBlock();
        List<Past> closest = ring.closest(block.handle());
        assertThat(ring.await(closest.get(1).insert(block, ring.now() + PastRing.LEASE / 3)).isSuccess()).isTrue();
        HostileRoot hostile = hostile(ring, closest, Mode.LEASE_INFLATED, null);
        Past client = closest.get(FAR);
        long longer = ring.now() + 2 * PastRing.LEASE / 3;

        int holders = ring.await(client.extendLease(block.key(), longer));

        assertThat(hostile.lies).as("the root claimed k + 2 and asked nobody").isPositive();
        List<Past> holding = ring.holders(block.key());
        long extended = holding.stream().filter(past -> ring.storeOf(past).get(block.key()).orElseThrow()
                .leaseExpiry() >= longer).count();
        assertThat(extended).as("every holder now holds it for the longer lease, told by the client")
                .isEqualTo(holding.size()).isGreaterThanOrEqualTo(K);
        assertThat(holders).as("the holders that confirmed it themselves, not the root's k + 2")
                .isEqualTo((int) extended);
        assertThat(client.rootsBypassed()).isZero();
    }

    private static void assertKDurableHonestReplicas(PastRing ring, Block block, InsertResult result,
                                                     HostileRoot hostile) {
        assertThat(result.holders()).hasSize(K).doesNotContain(hostile.self);
        List<NodeHandle> holding = ring.holders(block.key()).stream().map(Past::localHandle)
                .filter(handle -> !handle.equals(hostile.self)).toList();
        assertThat(holding).as("k durable replicas on honest nodes").hasSizeGreaterThanOrEqualTo(K)
                .containsAll(result.holders()).doesNotContainAnyElementsOf(hostile.far);
    }

    private static HostileRoot hostile(PastRing ring, List<Past> closest, Mode mode, byte[] oldCopy) {
        List<NodeHandle> far = List.of(closest.get(closest.size() - 1).localHandle(),
                closest.get(closest.size() - 2).localHandle(), closest.get(closest.size() - 3).localHandle());
        List<NodeHandle> named = new ArrayList<>();
        for (int i = 0; i < K; i++) {
            named.add(closest.get(i).localHandle());
        }
        HostileRoot hostile = new HostileRoot(closest.get(0).localHandle(), mode, far, named, oldCopy);
        ring.intercept(hostile);
        return hostile;
    }
}
