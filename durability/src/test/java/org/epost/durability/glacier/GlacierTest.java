package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.pastry.messages.RoutedMessage;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

class GlacierTest {

    private static List<ContentHashBlock> archive(GlacierRing ring, int count) {
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ContentHashBlock block = ring.ring.contentBlock();
            assertThat(ring.storeAndArchive(block)).isEqualTo(GlacierRing.CODE.n());
            blocks.add(block);
        }
        return blocks;
    }

    @Test
    void everyFragmentLandsOnTheNodeClosestToItsPosition() {
        GlacierRing ring = new GlacierRing(60, 1);
        List<ContentHashBlock> blocks = archive(ring, 5);
        assertThat(ring.fullyRedundant(blocks)).isTrue();
        int held = ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum();
        assertThat(held).isEqualTo(5 * GlacierRing.CODE.n());
    }

    @Test
    void aReaderWhosePastLookupFindsNothingRebuildsFromFragmentsAndReinserts() {
        GlacierRing ring = new GlacierRing(60, 2);
        ContentHashBlock block = archive(ring, 1).get(0);
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(block.key());
        }
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(block.key()))).isEmpty();

        Optional<byte[]> read = ring.ring.await(ring.randomLive().read(block.key()));
        assertThat(read).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(block.encoded()));
        ring.ring.runFor(10_000);
        assertThat(ring.ring.holders(block.key())).isNotEmpty();
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(block.key()))).isPresent();
    }

    @Test
    void anObjectWithNeitherReplicasNorEnoughFragmentsReadsAsEmpty() {
        GlacierRing ring = new GlacierRing(40, 3);
        ContentHashBlock block = ring.ring.contentBlock();
        ring.ring.await(ring.ring.live().get(0).insert(block, ring.ring.now() + PastRing.LEASE));
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(block.key());
        }
        assertThat(ring.ring.await(ring.randomLive().read(block.key()))).isEmpty();
    }

    @Test
    void halfTheRingCrashingAtOnceIsRepairedToFullRedundancyAndNothingIsLost() {
        GlacierRing ring = new GlacierRing(80, 4);
        List<ContentHashBlock> blocks = archive(ring, 8);
        List<Simulation.SimNode> live = new ArrayList<>(ring.sim().liveNodes());
        // Every other node along the ring: no fragment position keeps its holder's neighbour.
        live.sort(java.util.Comparator.comparing(Simulation.SimNode::id));
        for (int i = 0; i < live.size(); i += 2) {
            ring.sim().network().crash(live.get(i).id());
        }
        assertThat(ring.fullyRedundant(blocks)).isFalse();
        // With 12/4 and half the holders gone, an object keeps fewer than 4 fragments with probability 7%: only
        // those that kept 4 can come back (the others are still read from PAST, whose adjacent replicas survive).
        List<ContentHashBlock> recoverable = blocks.stream()
            .filter(block -> ring.census.survivingFragments(block.handle()) >= GlacierRing.CODE.m()).toList();
        assertThat(recoverable).hasSizeGreaterThanOrEqualTo(6);
        assertThat(ring.awaitFullyRedundant(recoverable, 20 * 60_000)).isTrue();
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::fragmentsRegenerated).sum()).isPositive();
        for (ContentHashBlock block : blocks) {
            assertThat(ring.ring.await(ring.randomLive().read(block.key())))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(block.encoded()));
        }
    }

    @Test
    void survivorsBorderingAContiguousFailureLearnEverythingTheyTookOverThroughPagedAuditAnswers() {
        // Audit answers of at most 3 entries: the survivors that regenerate a large failed stretch answer in pages.
        GlacierRing ring = new GlacierRing(60, 8, id -> GlacierConfig.defaults(GlacierRing.CODE).withMaxAuditEntries(3));
        List<ContentHashBlock> blocks = archive(ring, 10);
        List<ContentHashBlock> recoverable = crashContiguousSixtyPercent(ring, blocks);
        assertThat(recoverable).hasSizeGreaterThanOrEqualTo(8);
        assertThat(ring.fullyRedundant(recoverable)).isFalse();
        assertThat(ring.awaitFullyRedundant(recoverable, 30 * 60_000)).isTrue();
    }

    @Test
    void survivorsBorderingAContiguousFailureLearnEveryObjectWhenEachMirrorHoldsLessThanOneFragment() {
        // 300 nodes and 6 objects of 12 fragments: a walk must cross many mirrors before it meets a fragment of each
        // object. Walks that stopped at a range end given to the wrong node (a tie) met only a few of them.
        GlacierRing ring = new GlacierRing(300, 21);
        List<ContentHashBlock> blocks = archive(ring, 6);
        List<ContentHashBlock> recoverable = crashContiguousSixtyPercent(ring, blocks);
        assertThat(recoverable).hasSizeGreaterThanOrEqualTo(4);
        assertThat(ring.awaitFullyRedundant(recoverable, 5 * 60_000)).isTrue();
    }

    @Test
    void aWalkWhoseQueriesReachANodeNotHoldingTheCursorIsWalkedAgainSoonNotCountedComplete() {
        GlacierRing ring = new GlacierRing(40, 31);
        List<ContentHashBlock> blocks = archive(ring, 6);
        Simulation.SimNode lost = ring.sim().liveNodes().stream()
            .max(java.util.Comparator.comparingInt(node -> ring.of(node).fragmentsHeld())).orElseThrow();
        assertThat(ring.of(lost).fragmentsHeld()).isPositive();
        // For the next 90 s every audit query is delivered to a node far from its cursor, as routing may while leaf
        // sets settle: the walks of the six repair rounds after the failure all go astray.
        Set<String> astray = new HashSet<>();
        boolean[] misdirecting = {true};
        ring.ring.intercept((from, to, message) -> {
            if (misdirecting[0] && message instanceof RouteHop hop && hop.routed().payload() instanceof AuditQuery) {
                RoutedMessage routed = hop.routed();
                if (astray.add(routed.origin().id() + "/" + routed.sequence())) {
                    Id far = routed.key().add(BigInteger.ONE.shiftLeft(Id.BITS - 1));
                    return new RouteHop(hop.hopId(), new RoutedMessage(routed.origin(), routed.sequence(), far,
                        routed.application(), routed.payload(), routed.hops()));
                }
            }
            return message;
        });
        ring.sim().network().crash(lost.id());
        ring.ring.runFor(90_000);
        assertThat(astray).isNotEmpty();
        assertThat(ring.fullyRedundant(blocks)).as("nothing learnt from nodes not holding the cursors").isFalse();

        misdirecting[0] = false;
        // Counted complete, those walks left the survivors steady until the next full round, 10 minutes on.
        assertThat(ring.awaitFullyRedundant(blocks, 2 * 60_000)).isTrue();
    }

    /** Crashes 60% of the nodes, one contiguous run of the ring; answers the blocks that kept m fragments. */
    private static List<ContentHashBlock> crashContiguousSixtyPercent(GlacierRing ring, List<ContentHashBlock> blocks) {
        List<Simulation.SimNode> live = new ArrayList<>(ring.sim().liveNodes());
        live.sort(java.util.Comparator.comparing(Simulation.SimNode::id));
        for (int i = 0; i < live.size() * 6 / 10; i++) {
            ring.sim().network().crash(live.get(i).id());
        }
        return blocks.stream()
            .filter(block -> ring.census.survivingFragments(block.handle()) >= GlacierRing.CODE.m()).toList();
    }

    @Test
    void nodesThatJoinCloserToAPositionGetTheFragmentHandedOver() {
        GlacierRing ring = new GlacierRing(30, 5);
        List<ContentHashBlock> blocks = archive(ring, 6);
        for (int i = 0; i < 30; i++) {
            ring.sim().addNode();
        }
        assertThat(ring.awaitFullyRedundant(blocks, 30 * 60_000)).isTrue();
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::fragmentsHandedOff).sum()).isPositive();
        // Handed over, not copied: each fragment is held once.
        int held = ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum();
        assertThat(held).isEqualTo(6 * GlacierRing.CODE.n());
    }

    @Test
    void fragmentsAreCollectedOnceTheirLeaseExpired() {
        GlacierRing ring = new GlacierRing(30, 6);
        ContentHashBlock block = ring.ring.contentBlock();
        int stored = ring.ring.await(ring.randomLive().archive(block.handle(), block.kind().code(), block.encoded(),
            ring.ring.now() + 60_000));
        assertThat(stored).isEqualTo(GlacierRing.CODE.n());
        ring.ring.runFor(11 * 60_000);
        assertThat(ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum()).isZero();
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::fragmentsExpired).sum())
            .isEqualTo(GlacierRing.CODE.n());
    }

    @Test
    void aFullHolderAnswersFullAndTheArchiverCountsOnlyStoredFragments() {
        GlacierRing ring = new GlacierRing(30, 7, id -> GlacierConfig.defaults(GlacierRing.CODE).withQuotaBytes(0));
        ContentHashBlock block = ring.ring.contentBlock();
        assertThat(ring.ring.await(ring.randomLive().archive(block.handle(), block.kind().code(), block.encoded(),
            ring.ring.now() + PastRing.LEASE))).isZero();
    }
}
