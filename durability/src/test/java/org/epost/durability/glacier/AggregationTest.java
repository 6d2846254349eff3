package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.epost.durability.aggregate.Aggregate;
import org.epost.durability.aggregate.AggregatePointer;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.PointerPut;
import org.epost.durability.glacier.store.FragmentStore;
import org.epost.durability.glacier.store.InMemoryFragmentStore;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/** Small blocks aggregated by their archiving roots, and found again from a member through its pointers. */
class AggregationTest {
    private static final AggregationPolicy SMALL = new AggregationPolicy(16 << 10, 64 << 10, 5_000);

    private static int sum(GlacierRing ring, java.util.function.ToIntFunction<Glacier> figure) {
        return ring.glaciers.values().stream().mapToInt(figure).sum();
    }

    @Test
    void smallBlocksAreCodedInAggregatesAndReadBackThroughThemWhenNoReplicaIsLeft() {
        GlacierRing ring = new GlacierRing(40, 21, id -> GlacierConfig.defaults(GlacierRing.CODE)
            .withAggregation(SMALL), true);
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ContentHashBlock block = ring.ring.contentBlock();
            assertThat(ring.ring.await(ring.ring.randomLive().insert(block, ring.ring.now() + PastRing.LEASE))
                .isSuccess()).isTrue();
            blocks.add(block);
        }
        ring.ring.runFor(30_000);
        long aggregates = ring.glaciers.values().stream().mapToLong(Glacier::aggregatesArchived).sum();
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::membersAggregated).sum()).isEqualTo(30);
        // No block has fragments of its own: only the aggregates are coded, and each member has n pointer copies.
        assertThat(aggregates).isBetween(1L, 30L);
        assertThat(sum(ring, Glacier::fragmentsHeld)).isEqualTo((int) aggregates * GlacierRing.CODE.n());
        assertThat(sum(ring, Glacier::pointersHeld)).isEqualTo(30 * GlacierRing.CODE.n());
        for (ContentHashBlock block : blocks) {
            assertThat(ring.census.survivingFragments(block.handle())).isZero();
        }

        for (TamperingBlockStore store : ring.ring.stores()) {
            blocks.forEach(block -> store.delete(block.key()));
        }
        for (ContentHashBlock block : blocks) {
            assertThat(ring.ring.await(ring.ring.randomLive().lookup(block.key())))
                .hasValueSatisfying(found -> assertThat(found.encoded()).isEqualTo(block.encoded()));
        }
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::membersRecovered).sum()).isEqualTo(30);
        ring.ring.runFor(10_000);
        assertThat(ring.ring.holders(blocks.get(0).key())).isNotEmpty();
        assertThat(ring.forged()).isZero();
    }

    @Test
    void aMembersLeaseExtensionKeepsItsAggregateAndPointersAliveAfterTheOthersLapse() {
        GlacierRing ring = new GlacierRing(40, 22, id -> GlacierConfig.defaults(GlacierRing.CODE)
            .withAggregation(SMALL), true);
        long shortLease = ring.ring.now() + 2 * 60_000;
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ContentHashBlock block = ring.ring.contentBlock();
            assertThat(ring.ring.await(ring.ring.randomLive().insert(block, shortLease)).isSuccess()).isTrue();
            blocks.add(block);
        }
        ring.ring.runFor(30_000);
        ContentHashBlock kept = blocks.get(0);
        assertThat(ring.ring.await(ring.ring.randomLive().extendLease(kept.key(), ring.ring.now() + 3_600_000)))
            .isPositive();
        ring.ring.runFor(10_000);
        // Past the insert's lease and an audit round, which drops what expired.
        ring.ring.runFor(12 * 60_000);
        assertThat(sum(ring, Glacier::fragmentsHeld)).as("the aggregate of the extended member").isPositive();
        // Only the extended member's pointer copies are left; the others lapsed with their leases.
        assertThat(sum(ring, Glacier::pointersHeld)).isEqualTo(GlacierRing.CODE.n());
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(kept.key());
        }
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(kept.key())))
            .hasValueSatisfying(found -> assertThat(found.encoded()).isEqualTo(kept.encoded()));
    }

    @Test
    void aForgedAggregateIndexOrAPointerToAnAggregateWithoutTheMemberIsRejectedAndTheBlockStillRead() {
        // The blocks are coded alone (aggregation off at their roots); a hostile node then archives an aggregate whose
        // index lists the first block with other bytes, and one that does not list the second, and points each block
        // at its forged aggregate.
        GlacierRing ring = new GlacierRing(40, 23, id -> GlacierRing.CODED_ALONE, true);
        List<ContentHashBlock> blocks = List.of(ring.ring.contentBlock(), ring.ring.contentBlock());
        for (ContentHashBlock block : blocks) {
            assertThat(ring.ring.await(ring.ring.randomLive().insert(block, ring.ring.now() + PastRing.LEASE))
                .isSuccess()).isTrue();
        }
        ring.ring.runFor(10_000);
        Glacier hostile = ring.randomLive();
        long expiry = ring.ring.now() + PastRing.LEASE;
        byte[] wrong = blocks.get(0).encoded().clone();
        wrong[wrong.length - 1] ^= 1;
        Aggregate forgedIndex = new Aggregate(List.of(new Aggregate.Member(blocks.get(0).handle(),
            blocks.get(0).kind().code(), wrong.length)), wrong);
        Aggregate withoutMember = new Aggregate(List.of(new Aggregate.Member(ring.ring.contentBlock().handle(),
            blocks.get(1).kind().code(), 3)), new byte[] {1, 2, 3});
        List<Aggregate> forged = List.of(forgedIndex, withoutMember);
        for (int i = 0; i < 2; i++) {
            Aggregate aggregate = forged.get(i);
            assertThat(ring.ring.await(hostile.archive(aggregate.handle(), Aggregate.KIND_CODE, aggregate.encode(),
                expiry))).isEqualTo(GlacierRing.CODE.n());
            hostile.aggregating().putPointers(new AggregatePointer(blocks.get(i).handle(), blocks.get(i).kind().code(),
                aggregate.handle()), GlacierRing.CODE.n(), expiry);
        }
        ring.ring.runFor(5_000);
        for (TamperingBlockStore store : ring.ring.stores()) {
            blocks.forEach(block -> store.delete(block.key()));
        }
        long forgedBefore = ring.forged();
        for (ContentHashBlock block : blocks) {
            assertThat(ring.ring.await(ring.ring.randomLive().lookup(block.key())))
                .hasValueSatisfying(found -> assertThat(found.encoded()).isEqualTo(block.encoded()));
        }
        // Each forged candidate was rebuilt, rejected (logged) and counted; the blocks' own fragments rebuilt them.
        assertThat(ring.forged() - forgedBefore).isEqualTo(2);
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::membersRecovered).sum()).isZero();
    }

    @Test
    void blocksCollectedButNotYetArchivedWhenTheNodeStoppedAreArchivedByItsNextRun() {
        AggregationPolicy slow = new AggregationPolicy(16 << 10, 64 << 10, 3_600_000);
        Map<Id, FragmentStore> stores = new HashMap<>();
        GlacierRing first = new GlacierRing(30, 24, id -> GlacierConfig.defaults(GlacierRing.CODE)
            .withAggregation(slow), true, id -> stores.computeIfAbsent(id, key -> new InMemoryFragmentStore()));
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ContentHashBlock block = first.ring.contentBlock();
            assertThat(first.ring.await(first.ring.randomLive().insert(block, first.ring.now() + PastRing.LEASE))
                .isSuccess()).isTrue();
            blocks.add(block);
        }
        first.ring.runFor(60_000);
        assertThat(sum(first, Glacier::fragmentsHeld) + sum(first, Glacier::pointersHeld)).as("nothing coded yet")
            .isZero();

        // The whole ring stops before any aggregate was coded; it starts again on the same stores (same ids, same
        // seed), without the blocks in PAST: only the pending records of the first run can bring them back.
        GlacierRing second = new GlacierRing(30, 24, id -> GlacierConfig.defaults(GlacierRing.CODE)
            .withAggregation(slow), true, stores::get);
        second.ring.runFor(2 * 3_600_000 + 60_000);
        assertThat(second.glaciers.values().stream().mapToLong(Glacier::membersAggregated).sum()).isEqualTo(5);
        stores.forEach((id, store) -> store.forEachRecord((key, meta) ->
            assertThat(key.isPending()).as("pending record %s left", key).isFalse()));
        for (ContentHashBlock block : blocks) {
            assertThat(second.ring.await(second.randomLive().read(block.key())))
                .hasValueSatisfying(found -> assertThat(found).isEqualTo(block.encoded()));
        }
    }

    @Test
    void aPointerPutAtAnotherPositionOrMalformedIsRefusedAndCounted() {
        GlacierRing ring = new GlacierRing(20, 25, id -> GlacierConfig.defaults(GlacierRing.CODE)
            .withAggregation(SMALL), true);
        Glacier holder = ring.randomLive();
        Id member = Id.hash("member");
        int n = GlacierRing.CODE.n();
        byte[] pointer = new AggregatePointer(member, 1, Id.hash("aggregate")).encode();
        long expiry = ring.ring.now() + PastRing.LEASE;
        long forgedBefore = holder.forgedFragments();
        // Copy 1 delivered at the position of copy 0, a malformed pointer, and a copy index outside the code.
        holder.deliver(FragmentPlacement.position(member, 0, n), new PointerPut(pointer, 1, n, expiry));
        holder.deliver(FragmentPlacement.position(member, 0, n), new PointerPut(new byte[] {1, 2, 3}, 0, n, expiry));
        holder.deliver(FragmentPlacement.position(member, 0, n), new PointerPut(pointer, n, n, expiry));
        assertThat(holder.forgedFragments() - forgedBefore).isEqualTo(3);
        assertThat(holder.pointersHeld()).isZero();
        // The same copy at its own position is kept.
        holder.deliver(FragmentPlacement.position(member, 0, n), new PointerPut(pointer, 0, n, expiry));
        assertThat(holder.pointersHeld()).isEqualTo(1);
        assertThat(holder.pointerBytes()).isEqualTo(pointer.length);
    }
}
