package org.epost.mailbox.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.epost.mailbox.support.CountingMessageStore;
import org.epost.post.crypto.SaltedSeal;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.message.MessageReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skeletons kept on the home peer's disk, sealed: a message stored here has its header read after a restart without
 * a DHT lookup, no file holds its text, and a file that does not open (altered, or another message's) is deleted
 * and the skeleton read from the DHT again.
 */
class SealedSkeletonCacheTest {
    private static final String HEADER = "From: carol@epost.test\r\nTo: alice@epost.test\r\n"
        + "Subject: the quarterly figures, confidential\r\n\r\n";
    private final CountingMessageStore store =
        new CountingMessageStore(TestMailboxStorage.splitMessages(new InMemoryBlockService()));

    private MessageReference stored(String body) throws Exception {
        return store.store((HEADER + body).getBytes(StandardCharsets.US_ASCII), Long.MAX_VALUE).get();
    }

    /** A content cache as after a restart: nothing in memory, the skeletons on disk in {@code dir}. */
    private static ContentCache restarted(Path dir) throws Exception {
        return new ContentCache(1 << 20, Optional.of(new SealedSkeletonCache(dir)));
    }

    /** The disk cache in {@code dir} once the headers of {@code references} were read (their skeletons kept). */
    private SealedSkeletonCache onDisk(Path dir, MessageReference... references) throws Exception {
        for (MessageReference reference : references) {
            header(restarted(dir), reference);
        }
        return new SealedSkeletonCache(dir);
    }

    private String header(ContentCache cache, MessageReference reference) throws Exception {
        try (InputStream in = cache.open(store, reference)) {
            return new String(in.readNBytes(HEADER.length()), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aMessageStoredHereHasItsHeaderReadFromDiskAfterARestart(@TempDir Path dir) throws Exception {
        String body = "y".repeat(70) + "\r\n";
        MessageReference reference = stored(body);
        byte[] message = (HEADER + body).getBytes(StandardCharsets.US_ASCII);
        new ContentCache(1 << 20, Optional.of(new SealedSkeletonCache(dir))).remember(store, reference, message).get();
        long lookups = store.skeletons();

        assertThat(header(restarted(dir), reference)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(lookups);
        Path file = new SealedSkeletonCache(dir).fileOf(reference);
        String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(onDisk).doesNotContain("quarterly").doesNotContain("carol");
    }

    @Test
    void aSkeletonFetchedFromTheDhtIsKeptForTheNextRestart(@TempDir Path dir) throws Exception {
        MessageReference reference = stored("a body\r\n");
        assertThat(header(restarted(dir), reference)).isEqualTo(HEADER);
        long lookups = store.skeletons();
        assertThat(lookups).isEqualTo(1);

        assertThat(header(restarted(dir), reference)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(lookups);
    }

    @Test
    void aFileThatDoesNotOpenIsDeletedAndTheDhtAskedAgain(@TempDir Path dir) throws Exception {
        MessageReference first = stored("first\r\n");
        MessageReference second = stored("second, longer\r\n");
        SealedSkeletonCache disk = onDisk(dir, first, second);
        long lookups = store.skeletons();

        // altered: one bit of the ciphertext
        byte[] sealed = Files.readAllBytes(disk.fileOf(first));
        sealed[sealed.length - 1] ^= 1;
        Files.write(disk.fileOf(first), sealed);
        assertThat(disk.get(first)).isEmpty();
        assertThat(disk.fileOf(first)).doesNotExist();
        assertThat(header(restarted(dir), first)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(lookups + 1);
        assertThat(disk.get(first)).isPresent();

        // another message's file under this one's name: its key does not open it
        Files.copy(disk.fileOf(second), disk.fileOf(first), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(disk.get(first)).isEmpty();
        assertThat(disk.fileOf(first)).doesNotExist();
        // garbage
        Files.write(disk.fileOf(second), new byte[] {1, 2, 3});
        assertThat(disk.get(second)).isEmpty();
        assertThat(header(restarted(dir), second)).isEqualTo(HEADER);
    }

    @Test
    void oneFileReadTwiceInARowOnOneThreadOpensBothTimes(@TempDir Path dir) throws Exception {
        MessageReference reference = stored("read twice\r\n");
        SealedSkeletonCache disk = onDisk(dir, reference);
        assertThat(Files.readAllBytes(disk.fileOf(reference))).startsWith('E', 'P', 'S', 'K', 2);

        assertThat(disk.get(reference)).isPresent();
        assertThat(disk.get(reference)).isPresent(); // same key and nonce as the cipher's previous init
        assertThat(disk.fileOf(reference)).exists();
    }

    @Test
    void aFormat2FileCutOrWithAnAlteredNonceIsRefused(@TempDir Path dir) throws Exception {
        MessageReference reference = stored("cut\r\n");
        SealedSkeletonCache disk = onDisk(dir, reference);
        byte[] sealed = Files.readAllBytes(disk.fileOf(reference));

        Files.write(disk.fileOf(reference), java.util.Arrays.copyOf(sealed, sealed.length - 1));
        assertThat(disk.get(reference)).isEmpty();
        Files.write(disk.fileOf(reference), java.util.Arrays.copyOf(sealed, 20));
        assertThat(disk.get(reference)).isEmpty();
        byte[] nonceAltered = sealed.clone();
        nonceAltered[6] ^= 1;
        Files.write(disk.fileOf(reference), nonceAltered);
        assertThat(disk.get(reference)).isEmpty();
        assertThat(disk.fileOf(reference)).doesNotExist();
    }

    @Test
    void aFormat1FileIsReadAndWrittenAgainInFormat2(@TempDir Path dir) throws Exception {
        MessageReference reference = stored("written by an earlier version\r\n");
        SealedSkeletonCache disk = onDisk(dir, reference);
        byte[] encoded = disk.get(reference).orElseThrow().encode();
        Files.write(disk.fileOf(reference), format1(reference, encoded));
        long lookups = store.skeletons();

        assertThat(disk.get(reference).orElseThrow().encode()).isEqualTo(encoded);
        byte[] migrated = Files.readAllBytes(disk.fileOf(reference));
        assertThat(migrated).startsWith('E', 'P', 'S', 'K', 2);
        assertThat(new String(migrated, StandardCharsets.ISO_8859_1)).doesNotContain("quarterly");
        assertThat(header(restarted(dir), reference)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(lookups);

        // a format 1 file of another message under this one's name does not open either
        MessageReference other = stored("another message\r\n");
        Files.write(disk.fileOf(reference), format1(other, encoded));
        assertThat(disk.get(reference)).isEmpty();
        assertThat(disk.fileOf(reference)).doesNotExist();
    }

    /** A file as format 1 sealed it: {@code "EPSK" | 1 | salt | AES-GCM}, what an earlier peer left on its disk. */
    private static byte[] format1(MessageReference reference, byte[] plaintext) {
        SaltedSeal seal = new SaltedSeal("epost/skeleton-cache/v1".getBytes(StandardCharsets.US_ASCII),
            "epost/skeleton-cache/nonce/v1".getBytes(StandardCharsets.US_ASCII));
        return seal.seal(reference.top().key(), new byte[] {'E', 'P', 'S', 'K', 1}, plaintext,
            reference.top().handle().toBytes());
    }

    @Test
    void filesOfMessagesNoFolderHoldsAreDeletedOnceOlderThanTheCollection(@TempDir Path dir) throws Exception {
        MessageReference kept = stored("kept\r\n");
        MessageReference expunged = stored("expunged from its last folder\r\n");
        SealedSkeletonCache disk = onDisk(dir, kept, expunged);
        assertThat(disk.holds(kept)).isTrue();
        assertThat(disk.holds(expunged)).isTrue();

        // written after the collection started: it may be a message the collection missed, so it stays
        assertThat(disk.retainOnly(java.util.Set.of(kept.top().handle()), 0)).isZero();
        assertThat(disk.holds(expunged)).isTrue();

        long afterWrites = System.currentTimeMillis() + 1000;
        assertThat(new ContentCache(1 << 20, Optional.of(disk))
            .retainSkeletons(java.util.Set.of(kept.top().handle()), afterWrites)).isEqualTo(1);
        assertThat(disk.holds(expunged)).isFalse();
        assertThat(disk.holds(kept)).isTrue();
        long lookups = store.skeletons();
        assertThat(header(restarted(dir), kept)).isEqualTo(HEADER);
        assertThat(store.skeletons()).isEqualTo(lookups);
    }
}
