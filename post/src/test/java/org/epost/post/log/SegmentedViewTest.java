package org.epost.post.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.epost.overlay.id.Id;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.SegmentedAead;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached view sealed in segments: an open decrypts its head only, a body segment when the state reads it; a
 * segment altered, moved, cut off or taken from another view is refused when read (the view deleted, the next open
 * rebuilds the state from the DHT), a view cut short or of another log at open; a view of format 1 is still read and
 * written again in segments.
 */
class SegmentedViewTest {
    private static final String LABEL = "folder:big";
    private static final int SEGMENT = (int) SegmentedAead.ciphertextLength(SegmentedAead.PLAINTEXT_SEGMENT_BYTES);

    private final KeyPair signing = Signatures.generateKeyPair();
    private final KeyPair encryption = SealedBox.generateKeyPair();
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final LazyCountReducer reducer = new LazyCountReducer();
    @TempDir
    Path dir;
    private FileLogViewStore views;
    private KeyedCountReducer.State expected;
    private Id handle;

    /** A log whose state encodes to about 400 KiB (7 body segments), opened once so that its view is cached. */
    @BeforeEach
    void cachedView() throws Exception {
        views = new FileLogViewStore(dir);
        LogWriter<LazyCountReducer.Lazy> writer = LogWriter.open(dht, new InMemoryLogViewStore(), LogConfig.defaults(),
            signing, encryption, LABEL, reducer);
        List<LogEntry> records = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            records.add(KeyedCountReducer.increment("key-" + i + "-" + "x".repeat(50)));
        }
        writer.append(records);
        expected = writer.state().get();
        handle = writer.headHandle();
        assertThat(open().source()).isNotEqualTo(LogView.Source.CACHE);
        assertThat(segments(view())).isGreaterThanOrEqualTo(6);
    }

    private LogView<LazyCountReducer.Lazy> open() throws LogException {
        return new LogOpener(dht, views).open(signing.getPublic(), LABEL, encryption, reducer);
    }

    private byte[] view() throws Exception {
        return Files.readAllBytes(views.viewFile(handle));
    }

    private static int bodyStart(byte[] view) {
        return LogCipher.PREFIX_BYTES + 16 + 4 + ByteBuffer.wrap(view, LogCipher.PREFIX_BYTES + 16, 4).getInt();
    }

    private static int segments(byte[] view) {
        return (view.length - bodyStart(view) + SEGMENT - 1) / SEGMENT;
    }

    private static byte[] segment(byte[] view, int index) {
        int from = bodyStart(view) + index * SEGMENT;
        return Arrays.copyOfRange(view, from, Math.min(view.length, from + SEGMENT));
    }

    private static void put(byte[] view, int index, byte[] segment) {
        System.arraycopy(segment, 0, view, bodyStart(view) + index * SEGMENT, segment.length);
    }

    /** Opens from the altered cache (its head opens), then fails when the state reads the body. */
    private void brokenWhenRead(byte[] altered) throws Exception {
        Files.write(views.viewFile(handle), altered);
        LogView<LazyCountReducer.Lazy> lazy = open();
        assertThat(lazy.source()).isEqualTo(LogView.Source.CACHE);
        assertThatThrownBy(() -> lazy.state().get()).isInstanceOf(BrokenViewException.class)
            .hasMessageContaining("does not open");
        assertThat(Files.exists(views.viewFile(handle))).as("the broken view is deleted").isFalse();
        assertRebuilt();
    }

    private void assertRebuilt() throws Exception {
        LogView<LazyCountReducer.Lazy> rebuilt = open();
        assertThat(rebuilt.source()).isNotEqualTo(LogView.Source.CACHE);
        assertThat(rebuilt.state().get()).isEqualTo(expected);
        assertThat(open().source()).as("a good view is cached again").isEqualTo(LogView.Source.CACHE);
    }

    @Test
    void roundTripOpensTheBodyOnlyWhenRead() throws Exception {
        LogView<LazyCountReducer.Lazy> cached = open();
        assertThat(cached.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(cached.blocksFetched()).isEqualTo(1);
        assertThat(cached.state().get()).isEqualTo(expected);

        // an altered last segment does not stop the open: nothing of the body is decrypted until read
        byte[] view = view();
        view[view.length - 1] ^= 1;
        brokenWhenRead(view);
    }

    @Test
    void anOpenedViewKeepsReadingItsOwnFileWhenANewFileReplacesIt() throws Exception {
        LogView<LazyCountReducer.Lazy> cached = open();
        assertThat(cached.source()).isEqualTo(LogView.Source.CACHE);
        // the store maps the file: a view saved meanwhile (a new file renamed over it) must not change what is read
        Path replacement = dir.resolve("replacement");
        Files.write(replacement, new byte[view().length]);
        Files.move(replacement, views.viewFile(handle), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);

        assertThat(cached.state().get()).isEqualTo(expected);
    }

    @Test
    void anAlteredSegmentIsRefused() throws Exception {
        byte[] view = view();
        view[bodyStart(view) + 2 * SEGMENT + 100] ^= 1;
        brokenWhenRead(view);
    }

    @Test
    void swappedSegmentsAreRefused() throws Exception {
        byte[] view = view();
        byte[] first = segment(view, 1);
        put(view, 1, segment(view, 2));
        put(view, 2, first);
        brokenWhenRead(view);
    }

    @Test
    void aSegmentOfAnotherViewOfTheSameLogIsRefused() throws Exception {
        byte[] older = view();
        Files.delete(views.viewFile(handle));
        assertThat(open().source()).isNotEqualTo(LogView.Source.CACHE); // cached again: same state, another salt
        byte[] newer = view();
        assertThat(newer.length).isEqualTo(older.length);
        put(newer, 3, segment(older, 3));
        brokenWhenRead(newer);
    }

    @Test
    void aViewCutShortOrExtendedIsRefusedAtOpen() throws Exception {
        byte[] view = view();
        for (byte[] altered : List.of(Arrays.copyOf(view, view.length - SEGMENT), Arrays.copyOf(view, view.length - 1),
                Arrays.copyOf(view, view.length + 16), Arrays.copyOf(view, bodyStart(view) - 1))) {
            Files.write(views.viewFile(handle), altered);
            LogView<LazyCountReducer.Lazy> reopened = open();
            assertThat(reopened.source()).as("%d of %d bytes", altered.length, view.length)
                .isNotEqualTo(LogView.Source.CACHE);
            assertThat(reopened.state().get()).isEqualTo(expected);
        }
    }

    @Test
    void aViewOfAnotherLogIsRefusedAtOpen() throws Exception {
        String other = "folder:other";
        LogWriter<LazyCountReducer.Lazy> writer = LogWriter.open(dht, new InMemoryLogViewStore(), LogConfig.defaults(),
            signing, encryption, other, reducer);
        writer.append(List.of(KeyedCountReducer.increment("only")));
        Id otherHandle = writer.headHandle();
        Files.write(views.viewFile(otherHandle), view());
        LogView<LazyCountReducer.Lazy> opened = new LogOpener(dht, views).open(signing.getPublic(), other, encryption,
            reducer);
        assertThat(opened.source()).isNotEqualTo(LogView.Source.CACHE);
        assertThat(opened.state().get()).isEqualTo(writer.state().get());
    }

    @Test
    void aViewOfFormatOneIsReadAndWrittenAgainInSegments() throws Exception {
        LogView<LazyCountReducer.Lazy> current = open();
        LogCipher cipher = LogOpener.cipher(current.head(), handle, LABEL, encryption);
        byte[] formatOne = cipher.seal(LogCipher.BlockType.CACHED_VIEW, new LogOpener.CachedView(current.headVersion(),
            current.recordCount(), current.digest, reducer.encode(current.state())).encode());
        Files.write(views.viewFile(handle), formatOne);

        LogView<LazyCountReducer.Lazy> read = open();
        assertThat(read.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(read.state().get()).isEqualTo(expected);
        assertThat(LogCipher.isOfType(LogCipher.BlockType.CHACHA_VIEW, view())).as("written again").isTrue();
        assertThat(open().state().get()).isEqualTo(expected);
    }

    @Test
    void aViewOfFormatTwoIsReadAndWrittenAgainInFormatThree() throws Exception {
        assertThat(LogCipher.isOfType(LogCipher.BlockType.CHACHA_VIEW, view())).as("format 3 written").isTrue();
        LogView<LazyCountReducer.Lazy> current = open();
        LogCipher cipher = LogOpener.cipher(current.head(), handle, LABEL, encryption);
        byte[] formatTwo = SegmentedView.seal(SegmentedView.Format.AES, cipher, current.headVersion(),
            current.recordCount(), current.digest, reducer.encodeParts(current.state()));
        assertThat(LogCipher.isOfType(LogCipher.BlockType.SEGMENTED_VIEW, formatTwo)).isTrue();
        Files.write(views.viewFile(handle), formatTwo);

        LogView<LazyCountReducer.Lazy> read = open();
        assertThat(read.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(read.state().get()).isEqualTo(expected);
        assertThat(LogCipher.isOfType(LogCipher.BlockType.CHACHA_VIEW, view())).as("written again").isTrue();
        LogView<LazyCountReducer.Lazy> again = open();
        assertThat(again.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(again.state().get()).isEqualTo(expected);
    }

    @Test
    void aViewRelabelledAsTheOtherFormatIsRefusedAtOpen() throws Exception {
        byte[] view = view();
        view[LogCipher.PREFIX_BYTES - 1] = (byte) LogCipher.BlockType.SEGMENTED_VIEW.code;
        Files.write(views.viewFile(handle), view);
        LogView<LazyCountReducer.Lazy> reopened = open();
        assertThat(reopened.source()).isNotEqualTo(LogView.Source.CACHE);
        assertThat(reopened.state().get()).isEqualTo(expected);
    }

    @Test
    void theDiskHoldsNoPlaintextOfTheState() throws Exception {
        byte[] view = view();
        byte[] plain = "key-5999-xxxxxxxxxx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + plain.length <= view.length; i++) {
            assertThat(Arrays.equals(view, i, i + plain.length, plain, 0, plain.length)).as("at %d", i).isFalse();
        }
    }

    @Test
    void anOpenThatMustSaveItsViewDoesNotWaitForIt() throws Exception {
        FileLogViewStore background = FileLogViewStore.withBackgroundSaves(dir.resolve("background"));
        LogOpener opener = new LogOpener(dht, background);
        CountDownLatch release = new CountDownLatch(1);
        Id other = LogOpener.headHandle(signing.getPublic(), "folder:held");
        background.saveViewLater(other, () -> { // holds the store's thread until released
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[] {1};
        });

        LogView<LazyCountReducer.Lazy> first = opener.open(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(first.source()).as("nothing cached in this store yet").isNotEqualTo(LogView.Source.CACHE);
        assertThat(first.state().get()).isEqualTo(expected);
        assertThat(Files.exists(background.viewFile(handle))).as("the open did not wait for the save").isFalse();

        release.countDown();
        background.awaitSaves();
        LogView<LazyCountReducer.Lazy> second = opener.open(signing.getPublic(), LABEL, encryption, reducer);
        assertThat(second.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(second.state().get()).isEqualTo(expected);
        assertThat(LogCipher.isOfType(LogCipher.BlockType.CHACHA_VIEW, Files.readAllBytes(background.viewFile(handle))))
            .isTrue();
    }

    @Test
    void theWrittenFormatIsSetWhicheverClassIsInitializedFirst() throws Exception {
        // an open asks Format.of before anything else: in a fresh JVM that initialized the enum first, and its
        // constants were still null when SegmentedView read the written format from them
        java.net.URL[] path = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(entry -> {
                try {
                    return Path.of(entry).toUri().toURL();
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(java.net.URL[]::new);
        try (java.net.URLClassLoader fresh = new java.net.URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            Class<?> format = Class.forName(SegmentedView.Format.class.getName(), true, fresh);
            assertThat(format.getClassLoader()).isSameAs(fresh);
            Class<?> view = Class.forName(SegmentedView.class.getName(), true, fresh);
            java.lang.reflect.Field current = view.getDeclaredField("CURRENT");
            current.setAccessible(true);
            assertThat(current.get(null)).hasToString("CHACHA");
        }
    }

    @Test
    void aWriteLeftHalfDoneByACrashIsDeletedWhenTheStoreOpens() throws Exception {
        Path leftover = views.viewFile(handle).resolveSibling(views.viewFile(handle).getFileName() + ".5a5a.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        new FileLogViewStore(dir);
        assertThat(Files.exists(leftover)).isFalse();
        assertThat(Files.exists(views.viewFile(handle))).as("the view itself is kept").isTrue();
    }
}
