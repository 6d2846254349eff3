package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.epost.durability.fragment.Fragment;
import org.epost.durability.fragment.FragmentCoder;
import org.epost.durability.glacier.messages.FragmentGetReply;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.overlay.api.Message;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.pastry.messages.RoutedMessage;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.testing.PastRing;
import org.junit.jupiter.api.Test;

/** Holders that serve garbage, and senders that put it: every such fragment is refused and nothing wrong is built. */
class HostileHoldersTest {
    private final Random random = new Random(99);

    /** What a hostile holder serves instead of fragment {@code index} of {@code block}, in four flavours. */
    private byte[] forgery(ContentHashBlock block, int index, int flavour) {
        List<Fragment> genuine = FragmentCoder.encode(block.handle(), block.kind().code(), block.encoded(),
            GlacierRing.CODE.n(), GlacierRing.CODE.m());
        Fragment good = genuine.get(index);
        switch (flavour) {
            case 0 -> {
                byte[] garbage = new byte[300];
                random.nextBytes(garbage);
                return garbage;
            }
            case 1 -> {
                byte[] data = good.data();
                data[data.length / 2] ^= 0x40;
                return new Fragment(good.manifest(), index, good.proof(), data).encode();
            }
            case 2 -> {
                // A consistent forgery: the fragments of another object, under this object's handle.
                byte[] fake = block.encoded().clone();
                fake[fake.length - 1] ^= 1;
                return FragmentCoder.encode(block.handle(), block.kind().code(), fake, GlacierRing.CODE.n(),
                    GlacierRing.CODE.m()).get(index).encode();
            }
            default -> {
                // A genuine fragment, but not the one asked for.
                return genuine.get((index + 1) % genuine.size()).encode();
            }
        }
    }

    @Test
    void readsIgnoreForgedFragmentsFromAThirdOfTheHolders() {
        GlacierRing ring = new GlacierRing(60, 11);
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ContentHashBlock block = ring.ring.contentBlock();
            ring.storeAndArchive(block);
            blocks.add(block);
        }
        Set<Id> hostile = new HashSet<>();
        List<Simulation.SimNode> nodes = ring.sim().liveNodes();
        for (int i = 0; i < nodes.size(); i += 3) {
            hostile.add(nodes.get(i).id());
        }
        int[] served = {0};
        ring.ring.intercept((from, to, message) -> {
            if (hostile.contains(from.id()) && message instanceof DirectMessage direct
                    && direct.payload() instanceof FragmentGetReply reply && reply.fragment().length > 0) {
                Fragment original;
                try {
                    original = Fragment.decode(reply.fragment());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                ContentHashBlock block = blocks.stream()
                    .filter(b -> b.handle().equals(original.manifest().objectHandle())).findFirst().orElseThrow();
                return new DirectMessage(direct.application(), new FragmentGetReply(reply.requestId(),
                    forgery(block, original.index(), served[0]++ % 4), reply.expiry()));
            }
            return message;
        });
        for (TamperingBlockStore store : ring.ring.stores()) {
            blocks.forEach(block -> store.delete(block.key()));
        }
        for (ContentHashBlock block : blocks) {
            assertThat(ring.ring.await(ring.randomLive().read(block.key())))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(block.encoded()));
        }
        assertThat(served[0]).isPositive();
        assertThat(ring.forged()).isPositive();
    }

    @Test
    void forgedPutsAreRefusedAndTheMissingFragmentsRegeneratedByAudits() {
        GlacierRing ring = new GlacierRing(60, 12);
        ContentHashBlock block = ring.ring.contentBlock();
        ring.ring.await(ring.ring.live().get(0).insert(block, ring.ring.now() + PastRing.LEASE));
        int[] forged = {0};
        ring.ring.intercept((from, to, message) -> {
            if (message instanceof RouteHop hop && hop.routed().payload() instanceof FragmentPut put
                    && forged[0] < 4) {
                Fragment fragment;
                try {
                    fragment = Fragment.decode(put.fragment());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                byte[] bad = forgery(block, fragment.index(), forged[0]++ % 4);
                RoutedMessage routed = hop.routed();
                Message replaced = new FragmentPut(put.requestId(), put.sender(), bad, put.expiry());
                return new RouteHop(hop.hopId(), new RoutedMessage(routed.origin(), routed.sequence(), routed.key(),
                    routed.application(), replaced, routed.hops()));
            }
            return message;
        });
        int stored = ring.ring.await(ring.randomLive().archive(block.handle(), block.kind().code(), block.encoded(),
            ring.ring.now() + PastRing.LEASE));
        // Garbage, a flipped byte and a genuine fragment put at another index's position are refused at once; the
        // consistent forgery of another object verifies against its own manifest and is kept (a rebuild ignores it:
        // its manifest decodes to no valid object).
        assertThat(stored).isLessThanOrEqualTo(GlacierRing.CODE.n() - 3);
        assertThat(ring.forged()).isGreaterThanOrEqualTo(3);
        ring.ring.intercept((from, to, message) -> message);
        assertThat(ring.awaitFullyRedundant(List.of(block), 30 * 60_000)).isTrue();
        for (TamperingBlockStore store : ring.ring.stores()) {
            store.delete(block.key());
        }
        assertThat(ring.ring.await(ring.randomLive().read(block.key())))
            .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(block.encoded()));
    }
}
