package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastLookupException;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.security.Ed25519Keys;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/** Glacier as PAST's archive, as peers run it: PAST's inserts are archived, and PAST's lookups fall back to it. */
class PastArchiveTest {

    @Test
    void whatPastStoresIsArchivedByItsRootAndAPastLookupRebuildsItWhenNoReplicaIsLeft() {
        GlacierRing ring = new GlacierRing(60, 11, id -> GlacierRing.CODED_ALONE, true);
        ContentHashBlock block = ring.ring.contentBlock();
        // A plain PAST insert: nobody calls Glacier.
        assertThat(ring.ring.await(ring.ring.randomLive().insert(block, ring.ring.now() + PastRing.LEASE)).isSuccess())
            .isTrue();
        ring.ring.runFor(10_000);
        assertThat(ring.fullyRedundant(List.of(block))).isTrue();
        assertThat(ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum())
            .isEqualTo(GlacierRing.CODE.n());

        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(block.key());
        }
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(block.key())))
            .hasValueSatisfying(found -> assertThat(found.encoded()).isEqualTo(block.encoded()));
        ring.ring.runFor(10_000);
        assertThat(ring.ring.holders(block.key())).isNotEmpty();
    }

    @Test
    void aPastLeaseExtensionAtTheRootExtendsTheFragmentsSoOnlyTheBlockNotExtendedLapses() {
        GlacierRing ring = new GlacierRing(40, 13, id -> GlacierRing.CODED_ALONE, true);
        ContentHashBlock kept = ring.ring.contentBlock();
        ContentHashBlock dropped = ring.ring.contentBlock();
        long shortLease = ring.ring.now() + 2 * 60_000;
        for (ContentHashBlock block : List.of(kept, dropped)) {
            assertThat(ring.ring.await(ring.ring.randomLive().insert(block, shortLease)).isSuccess()).isTrue();
        }
        ring.ring.runFor(10_000);
        assertThat(ring.fullyRedundant(List.of(kept, dropped))).isTrue();

        assertThat(ring.ring.await(ring.ring.randomLive().extendLease(kept.key(), ring.ring.now() + 3_600_000)))
            .isPositive();
        ring.ring.runFor(10_000);
        assertThat(ring.glaciers.values().stream().mapToLong(Glacier::leasesExtended).sum())
            .isEqualTo(GlacierRing.CODE.n());
        // Past the insert's lease and an audit round (every 10 virtual minutes), which drops expired fragments.
        ring.ring.runFor(12 * 60_000);
        assertThat(ring.fullyRedundant(List.of(kept))).isTrue();
        assertThat(ring.census.survivingFragments(dropped.handle())).isZero();
        assertThat(ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum())
            .isEqualTo(GlacierRing.CODE.n());
    }

    @Test
    void everyVersionOfAHeadIsArchivedAndALeaseExtensionKeepsTheNewestAndItsAnchorsForTheSearch() {
        GlacierRing ring = new GlacierRing(40, 14, id -> GlacierConfig.defaults(GlacierRing.CODE), true);
        KeyPair owner = Ed25519Keys.generateKeyPair();
        long shortLease = ring.ring.now() + 2 * 60_000;
        PublicKeyBlock newest = null;
        for (long version = 0; version <= 5; version++) {
            newest = PublicKeyBlock.sign(owner, "log/INBOX", version, new byte[] {(byte) version});
            assertThat(ring.ring.await(ring.ring.randomLive().insert(newest, shortLease)).isSuccess()).isTrue();
            ring.ring.runFor(5_000);
        }
        Id head = newest.handle();
        ring.ring.runFor(10_000);
        for (long version = 0; version <= 5; version++) {
            assertThat(ring.census.survivingFragments(HeadVersions.archiveHandle(head, version)))
                .as("fragments of version %d", version).isEqualTo(GlacierRing.CODE.n());
        }

        BlockKey key = new BlockKey(head, BlockKind.PUBLIC_KEY);
        assertThat(ring.ring.await(ring.ring.randomLive().extendLease(key, ring.ring.now() + 3_600_000))).isPositive();
        // Past the insert's lease and an audit round: version 5 and its anchor 4 stay, the others lapse.
        ring.ring.runFor(13 * 60_000);
        for (long version = 0; version <= 5; version++) {
            assertThat(ring.census.survivingFragments(HeadVersions.archiveHandle(head, version)))
                .as("fragments of version %d", version).isEqualTo(version >= 4 ? GlacierRing.CODE.n() : 0);
        }

        // Every replica gone: a PAST lookup finds version 5 through its anchor, and PAST holds it again.
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(key);
        }
        PublicKeyBlock expected = newest;
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(key)))
            .hasValueSatisfying(found -> assertThat(found.encoded()).isEqualTo(expected.encoded()));
        ring.ring.runFor(10_000);
        assertThat(ring.ring.holders(key)).isNotEmpty();
    }

    @Test
    void aReaderThatReadANewerVersionRefusesTheOlderOneTheArchiveStillHasOthersGetIt() {
        GlacierRing ring = new GlacierRing(40, 15, id -> GlacierConfig.defaults(GlacierRing.CODE), true);
        KeyPair owner = Ed25519Keys.generateKeyPair();
        PublicKeyBlock newest = null;
        for (long version = 0; version <= 5; version++) {
            // Versions 4 and 5 only under a short lease: their fragments lapse, version 3 and its anchor 2 stay.
            long lease = ring.ring.now() + (version >= 4 ? 2 * 60_000 : PastRing.LEASE);
            newest = PublicKeyBlock.sign(owner, "identity", version, new byte[] {(byte) version});
            assertThat(ring.ring.await(ring.ring.randomLive().insert(newest, lease)).isSuccess()).isTrue();
            ring.ring.runFor(5_000);
        }
        BlockKey key = new BlockKey(newest.handle(), BlockKind.PUBLIC_KEY);
        Past reader = ring.ring.live().get(0);
        Past fresh = ring.ring.live().get(1);
        assertThat(ring.ring.await(reader.lookup(key))).hasValueSatisfying(found ->
            assertThat(((PublicKeyBlock) found).version()).isEqualTo(5));
        ring.ring.runFor(13 * 60_000);
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(key);
        }

        CompletableFuture<Optional<Block>> rolledBack = ring.ring.awaitDone(reader.lookup(key));
        assertThat(rolledBack).isCompletedExceptionally();
        assertThatThrownBy(rolledBack::join).hasCauseInstanceOf(PastLookupException.class);
        assertThat(ring.ring.await(fresh.lookup(key))).hasValueSatisfying(found ->
            assertThat(((PublicKeyBlock) found).version()).isEqualTo(3));
    }

    @Test
    void aLookupOfABlockNeverStoredStaysEmptyAndArchivesNothing() {
        GlacierRing ring = new GlacierRing(30, 12, id -> GlacierConfig.defaults(GlacierRing.CODE), true);
        ContentHashBlock never = ring.ring.contentBlock();
        assertThat(ring.ring.await(ring.ring.randomLive().lookup(never.key()))).isEmpty();
        assertThat(ring.glaciers.values().stream().mapToInt(Glacier::fragmentsHeld).sum()).isZero();
    }
}
