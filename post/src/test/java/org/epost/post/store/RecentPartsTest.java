package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

/** The part store's memory of parts it stored or fetched moments ago. */
class RecentPartsTest {
    private static final ConvergentCipher CIPHER = new ConvergentCipher(Optional.empty());
    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final AtomicLong now = new AtomicLong(0);
    private final PartStore store = new PartStore(blocks, CIPHER, PartStoreConfig.defaults(), new SecureRandom(),
        new RecentParts(now::get, 2, 1_000));

    @Test
    void aPartStoredAgainWithinTheWindowIsNotInsertedAgain() {
        byte[] part = Seeded.bytes(50_000, 1);
        PartReference first = store.store(part, 10_000).join();
        long inserts = blocks.inserts();

        assertThat(store.store(part, 10_000).join()).isEqualTo(first);
        assertThat(blocks.inserts()).isEqualTo(inserts);

        now.set(1_001);
        assertThat(store.store(part, 10_000).join()).isEqualTo(first);
        assertThat(blocks.inserts()).as("older than the window: inserted again").isEqualTo(inserts + 1);
    }

    @Test
    void onlyTheNewestEntriesAreKeptAndPaddedPartsNever() {
        byte[] a = Seeded.bytes(10_000, 1);
        byte[] b = Seeded.bytes(10_000, 2);
        byte[] c = Seeded.bytes(10_000, 3);
        byte[] small = Seeded.bytes(100, 4);
        store.store(a, 10_000).join();
        store.store(b, 10_000).join();
        store.store(c, 10_000).join();
        store.store(small, 10_000).join();
        long inserts = blocks.inserts();

        store.store(c, 10_000).join();
        store.store(b, 10_000).join();
        assertThat(blocks.inserts()).isEqualTo(inserts);
        store.store(a, 10_000).join();
        store.store(small, 10_000).join();
        assertThat(blocks.inserts()).as("a fell out of the two-entry memory; a padded part is never kept")
            .isEqualTo(inserts + 2);
    }

    @Test
    void aFetchedPartIsRememberedOnlyUnderTheKeyItsContentHas() {
        byte[] honest = Seeded.bytes(20_000, 5);
        PartReference honestReference = new PartStore(blocks, CIPHER).store(honest, 10_000).join();
        store.fetch(honestReference).join();
        long inserts = blocks.inserts();
        assertThat(store.store(honest, 10_000).join()).isEqualTo(honestReference);
        assertThat(blocks.inserts()).isEqualTo(inserts);

        // A sender encrypts garbage under the convergent key of a part it expects this peer to store later.
        byte[] expected = Seeded.bytes(20_000, 6);
        byte[] garbage = Seeded.bytes(20_000, 7);
        byte[] plantedKey = CIPHER.keyFor(expected);
        ContentHashBlock planted = ContentHashBlock.of(CIPHER.encrypt(plantedKey, garbage));
        blocks.insert(planted, 10_000).join();
        PartReference forged = new PartReference(planted.handle(), plantedKey, garbage.length,
            PartReference.Layout.SINGLE, false);
        assertThat(store.fetch(forged).join()).isEqualTo(garbage);

        PartReference stored = store.store(expected, 10_000).join();
        assertThat(stored).isNotEqualTo(forged);
        assertThat(store.fetch(stored).join()).isEqualTo(expected);
    }
}
