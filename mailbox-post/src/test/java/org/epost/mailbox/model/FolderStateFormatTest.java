package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.epost.post.log.BrokenViewException;
import org.epost.post.log.FileLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogEntry;
import org.epost.post.log.LogOpener;
import org.epost.post.log.LogRecord;
import org.epost.post.log.LogReducer;
import org.epost.post.log.LogView;
import org.epost.post.log.LogWriter;
import org.epost.post.log.StateBody;
import org.epost.post.message.MessageReference;
import org.epost.post.store.PartReference;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder state's encoding, version 2 (columns, entries decoded on first use): round trip, version 1 still read,
 * entries not decoded by a decode of the state, broken columns refused, a cached view that does not decode
 * rebuilt from the folder's log; the state split for a segmented cached view (columns opened at once, entries when
 * read, a broken segment rebuilt from the log).
 */
class FolderStateFormatTest {
    private static final FolderReducer REDUCER = FolderReducer.INSTANCE;
    private final KeyPair signing = Signatures.generateKeyPair();
    private final KeyPair encryption = SealedBox.generateKeyPair();
    private final InMemoryBlockService dht = new InMemoryBlockService();

    private static MessageEntry entry(long uid, int flags, List<String> keywords) {
        MessageKey id = new MessageKey(uid, uid * 7);
        long stored = 1000 + uid % 5000;
        MessageReference content = new MessageReference(new PartReference(Id.hash("part" + uid), new byte[32],
            stored, PartReference.Layout.SINGLE, true), stored);
        return new MessageEntry(uid, uid, id, id, 1_700_000_000_000L + uid, -1, stored + (uid % 3 == 0 ? 30 : 0),
            400, flags, keywords, uid % 2 == 0 ? null : 20L,
            List.of(new MessageProperty("mime", "subtype", "plain"), new MessageProperty("mime", "charset", "utf-8")),
            content, uid % 3 == 0 ? "X-ePOST-Origin: none\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
    }

    private static FolderState folder(int messages) {
        FolderState state = REDUCER.initial();
        for (int uid = 1; uid <= messages; uid++) {
            int flags = uid % 4 == 0 ? SystemFlags.SEEN : uid % 5 == 0 ? SystemFlags.RECENT : 0;
            List<String> keywords = uid % 7 == 0 ? List.of("k" + uid % 3) : List.of();
            state = state.apply(new FolderRecord.MessageAdded(entry(uid, flags, keywords)), uid - 1);
        }
        return state;
    }

    private static LogRecord record(long seq, FolderRecord record) {
        return new LogRecord(seq, record.type(), record.encode());
    }

    private static void assertSame(FolderState read, FolderState written) {
        assertThat(read.count()).isEqualTo(written.count());
        assertThat(read.lastUid()).isEqualTo(written.lastUid());
        assertThat(read.highestModSeq()).isEqualTo(written.highestModSeq());
        assertThat(read.unseen()).isEqualTo(written.unseen());
        assertThat(read.octets()).isEqualTo(written.octets());
        assertThat(read.keywords()).isEqualTo(written.keywords());
        assertThat(read.uids()).isEqualTo(written.uids());
        assertThat(read.uidsWith(SystemFlags.RECENT)).isEqualTo(written.uidsWith(SystemFlags.RECENT));
        assertThat(read.firstUnseen()).isEqualTo(written.firstUnseen());
        assertThat(read.entries()).containsExactlyElementsOf(written.entries());
    }

    @Test
    void aStateRoundTripsInVersion2AndItsEntriesAreReadOnFirstUse() {
        FolderState state = folder(40);
        state = REDUCER.reduce(state, record(40, new FolderRecord.FlagsChanged(3, 41, SystemFlags.SEEN, List.of("new"))));
        state = REDUCER.reduce(state, record(41, new FolderRecord.MessageExpunged(8, 42)));
        byte[] encoded = REDUCER.encode(state);
        assertThat(encoded[1]).isEqualTo((byte) FolderStateCodec.FORMAT_VERSION);

        FolderState read = REDUCER.decode(encoded);
        assertSame(read, state);
        assertThat(read.keywords()).contains("new", "k0", "k1", "k2");
        assertThat(read.get(3).userFlags()).containsExactly("new");
        assertThat(read.get(9).prefix()).isEqualTo("X-ePOST-Origin: none\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(read.range(10, 12, 0)).extracting(MessageEntry::uid).containsExactly(10L, 11L, 12L);
        assertThat(read.with(SystemFlags.RECENT)).extracting(MessageEntry::uid)
            .containsExactlyElementsOf(read.uidsWith(SystemFlags.RECENT));
        MessageEntry ninth = read.get(9);
        assertThat(read.uidsOf(ninth.messageId())).containsExactly(9L);
        assertThat(REDUCER.encode(read)).isEqualTo(encoded);

        // records applied on top of a decoded state: the message-id index and the counters follow
        FolderState grown = REDUCER.reduce(read, record(42, new FolderRecord.MessageAdded(
            ninth.copyAs(41, 43, -1, 0, List.of("copied")))));
        grown = REDUCER.reduce(grown, record(43, new FolderRecord.MessageExpunged(9, 44)));
        assertThat(grown.uidsOf(ninth.messageId())).containsExactly(41L);
        assertThat(grown.keywords()).contains("copied");
        assertSame(REDUCER.decode(REDUCER.encode(grown)), grown);
    }

    @Test
    void aDecodedStateIsBuiltAtOnceFromItsSortedColumns() {
        FolderState read = REDUCER.decode(REDUCER.encode(folder(1000)));
        assertThat(read.range(500, 502, 0)).extracting(MessageEntry::uid).containsExactly(500L, 501L, 502L);
        assertThat(read.get(1000).uid()).isEqualTo(1000);
        assertThat(read.get(1001)).isNull();
        assertThat(read.range(0, Long.MAX_VALUE, 0)).extracting(MessageEntry::uid).isSorted().hasSize(1000);
    }

    @Test
    void aVersion1StateIsStillReadAndWrittenAgainInVersion2() {
        FolderState state = folder(25);
        byte[] version1 = FolderStateCodec.encodeVersion1(state);
        assertThat(version1[1]).isEqualTo((byte) 1);

        FolderState read = REDUCER.decode(version1);
        assertSame(read, state);
        assertThat(REDUCER.encode(read)).isEqualTo(REDUCER.encode(state));
        // version 1 is read strictly as before: a non-canonical copy is refused
        byte[] trailing = java.util.Arrays.copyOf(version1, version1.length + 1);
        assertThatThrownBy(() -> REDUCER.decode(trailing)).isInstanceOf(RecordFormatException.class);
    }

    @Test
    void decodingAStateDecodesNoEntryAndABrokenEntryIsRefusedWhenRead() {
        FolderState state = folder(10);
        byte[] encoded = REDUCER.encode(state);
        // UID 5's own encoding starts with [array(13 or 14), uid 5, modseq 5, ...]: make it say UID 6
        byte[] entry5 = EntrySlot.encode(state.get(5));
        int at = indexOf(encoded, entry5);
        encoded[at + 1] = 6;

        FolderState read = REDUCER.decode(encoded);
        assertThat(read.count()).isEqualTo(10);
        assertThat(read.uids()).hasSize(10);
        assertThat(read.get(4)).isEqualTo(state.get(4));
        assertThatThrownBy(() -> read.get(5)).isInstanceOf(RecordFormatException.class)
            .hasMessageContaining("disagrees with the folder's columns");
    }

    @Test
    void brokenColumnsAreRefused() {
        FolderState state = folder(3);
        byte[] encoded = REDUCER.encode(state);
        // the UID column follows the keyword list: [2, [lastUid 3, modseq 3, [], bstr(24) ...
        int uids = indexOf(encoded, new byte[] {0x58, 24});
        byte[] outOfOrder = encoded.clone();
        outOfOrder[uids + 2 + 7] = 9; // first UID 9, above the last UID
        assertThatThrownBy(() -> REDUCER.decode(outOfOrder)).isInstanceOf(RecordFormatException.class)
            .hasMessageContaining("out of order or beyond");
        byte[] shortColumn = encoded.clone();
        shortColumn[uids + 1] = 16; // two UIDs for three flags: the rest no longer parses as the layout
        assertThatThrownBy(() -> REDUCER.decode(shortColumn)).isInstanceOf(RecordFormatException.class);
    }

    @Test
    void aLargeFolderDecodesWithoutDecodingItsEntries() {
        FolderState state = folder(100_000);
        byte[] encoded = REDUCER.encode(state);
        byte[] version1 = FolderStateCodec.encodeVersion1(state);
        long start = System.nanoTime();
        FolderState read = REDUCER.decode(encoded);
        List<Long> recent = read.uidsWith(SystemFlags.RECENT);
        Long firstUnseen = read.firstUnseen();
        long millis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        FolderState readVersion1 = REDUCER.decode(version1);
        long millisVersion1 = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[folder-state] 100,000 messages: version 2 (%,d bytes) decoded with UIDs, recent and first "
            + "unseen in %d ms; version 1 (%,d bytes, every entry decoded) in %d ms%n", encoded.length, millis,
            version1.length, millisVersion1);
        assertThat(read.count()).isEqualTo(100_000).isEqualTo(readVersion1.count());
        assertThat(recent).hasSize(state.uidsWith(SystemFlags.RECENT).size());
        assertThat(firstUnseen).isEqualTo(1L);
        assertThat(read.get(77_777)).isEqualTo(state.get(77_777)).isEqualTo(readVersion1.get(77_777));
        assertThat(read.unseen()).isEqualTo(state.unseen());
        assertThat(read.octets()).isEqualTo(state.octets());
    }

    @Test
    void aLargeFolderSplitsIntoColumnsReadAtOnceAndEntriesReadOnFirstUse() {
        FolderState state = folder(100_000);
        LogReducer.Parts parts = REDUCER.encodeParts(state);
        long start = System.nanoTime();
        FolderState read = REDUCER.decodeParts(parts.head(), StateBody.of(parts.body()));
        List<Long> recent = read.uidsWith(SystemFlags.RECENT);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("[folder-state] 100,000 messages split for the cached view: head (columns) %,d bytes, read "
            + "with UIDs and recent in %d ms; body (entries) %,d bytes, opened as read%n", parts.head().length, millis,
            parts.body().length);
        assertThat(parts.head().length).isLessThan(parts.body().length / 5);
        assertThat(recent).isEqualTo(state.uidsWith(SystemFlags.RECENT));
        assertThat(read.get(77_777)).isEqualTo(state.get(77_777));
        assertThat(REDUCER.encode(read)).isEqualTo(REDUCER.encode(state));
        assertThatThrownBy(() -> REDUCER.decodeParts(parts.head(), StateBody.of(new byte[parts.body().length - 1])))
            .isInstanceOf(RecordFormatException.class);
        assertThatThrownBy(() -> REDUCER.decodeParts(REDUCER.encode(state), StateBody.of(parts.body())))
            .isInstanceOf(RecordFormatException.class);
    }

    @Test
    void compactColumnsRoundTripAndRefuseWhatTheyDoNotWrite() {
        long[] uids = {1, 2, 130, 1L << 40, Long.MAX_VALUE};
        assertThat(CompactColumns.readGaps(CompactColumns.gaps(uids), 5, "uids")).containsExactly(uids);
        long[] sizes = {0, 127, 128, 16_384, Long.MAX_VALUE};
        assertThat(CompactColumns.readVarints(CompactColumns.varints(sizes), 5, "sizes")).containsExactly(sizes);
        assertThat(CompactColumns.gaps(new long[] {1, 2, 3})).containsExactly(1, 1, 1);
        for (byte[] bad : List.of(new byte[] {(byte) 0x80, 0}, new byte[] {1, 1}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, 1})) {
            assertThatThrownBy(() -> CompactColumns.readVarints(bad, 1, "column"))
                .as("%s", java.util.Arrays.toString(bad)).isInstanceOf(RecordFormatException.class);
        }
        assertThatThrownBy(() -> CompactColumns.readGaps(new byte[] {1, 0}, 2, "uids"))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("gap 0");
    }

    @Test
    void aFolderViewOpensSealedEntriesWhenReadAndABrokenSegmentIsRebuiltFromTheLog(@TempDir Path dir)
            throws Exception {
        FileLogViewStore views = new FileLogViewStore(dir);
        String label = "epost-mailbox/folder/segments";
        FolderState expected = folder(3000);
        writeAndClose(views, label, REDUCER, expected); // caches the view in segments
        Id handle = LogOpener.headHandle(signing.getPublic(), label);
        LogView<FolderState> cached = new LogOpener(dht, views).open(signing.getPublic(), label, encryption, REDUCER);
        assertThat(cached.source()).isEqualTo(LogView.Source.CACHE);
        assertSame(cached.state(), expected);

        byte[] view = Files.readAllBytes(views.viewFile(handle));
        int bodyStart = 6 + 16 + 4 + java.nio.ByteBuffer.wrap(view, 6 + 16, 4).getInt();
        assertThat(view.length - bodyStart).isGreaterThan(4 * 65536); // several segments
        view[bodyStart + 3 * 65536] ^= 1;
        Files.write(views.viewFile(handle), view);
        LogView<FolderState> broken = new LogOpener(dht, views).open(signing.getPublic(), label, encryption, REDUCER);
        assertThat(broken.source()).isEqualTo(LogView.Source.CACHE);
        assertThat(broken.state().count()).isEqualTo(3000); // the columns opened
        assertThat(broken.state().get(1)).isEqualTo(expected.get(1)); // the first segment too
        assertThatThrownBy(() -> broken.state().entries().forEach(entry -> { }))
            .isInstanceOf(BrokenViewException.class);
        assertThat(Files.exists(views.viewFile(handle))).isFalse();
        LogView<FolderState> rebuilt = new LogOpener(dht, views).open(signing.getPublic(), label, encryption, REDUCER);
        assertThat(rebuilt.source()).isNotEqualTo(LogView.Source.CACHE);
        assertSame(rebuilt.state(), expected);
    }

    /** A reducer writing views whose UID column is out of order: authentic (sealed by the log), yet not a state. */
    private static final class BrokenViews implements LogReducer<FolderState> {
        @Override
        public FolderState initial() {
            return REDUCER.initial();
        }

        @Override
        public FolderState reduce(FolderState state, LogRecord record) {
            return REDUCER.reduce(state, record);
        }

        @Override
        public byte[] encode(FolderState state) {
            byte[] encoded = REDUCER.encode(state);
            int uids = indexOf(encoded, new byte[] {0x58, (byte) (8 * state.count())});
            encoded[uids + 2 + 7] = (byte) 0xff;
            return encoded;
        }

        @Override
        public FolderState decode(byte[] bytes) {
            return REDUCER.decode(bytes);
        }

        @Override
        public Parts encodeParts(FolderState state) {
            Parts parts = REDUCER.encodeParts(state); // 20 messages: a UID column of 20 gaps of 1
            int uids = indexOf(parts.head(), new byte[] {0x54, 1, 1, 1});
            parts.head()[uids + 1] = 0;
            return parts;
        }
    }

    @Test
    void aCachedViewThatDoesNotDecodeIsRebuiltFromTheLog(@TempDir Path dir) throws Exception {
        FileLogViewStore views = new FileLogViewStore(dir);
        String label = "epost-mailbox/folder/test";
        FolderState expected = folder(20);
        writeAndClose(views, label, new BrokenViews(), expected); // caches a broken view
        Id handle = LogOpener.headHandle(signing.getPublic(), label);
        assertThat(Files.exists(views.viewFile(handle))).isTrue();

        LogView<FolderState> view = new LogOpener(dht, views).open(signing.getPublic(), label, encryption, REDUCER);
        assertThat(view.source()).isEqualTo(LogView.Source.GENESIS);
        assertSame(view.state(), expected);
        // the view saved by that open is a good one: the next open starts from it
        LogView<FolderState> again = new LogOpener(dht, views).open(signing.getPublic(), label, encryption, REDUCER);
        assertThat(again.source()).isEqualTo(LogView.Source.CACHE);
        assertSame(again.state(), expected);
    }

    /** A folder log holding {@code state}'s messages, closed (which caches its view as {@code reducer} encodes it). */
    private void writeAndClose(FileLogViewStore views, String label, LogReducer<FolderState> reducer,
                               FolderState state) throws Exception {
        List<LogEntry> records = new ArrayList<>();
        for (MessageEntry entry : state.entries()) {
            records.add(new FolderRecord.MessageAdded(entry).toEntry());
        }
        LogWriter<FolderState> writer = LogWriter.open(dht, views, LogConfig.defaults(), signing, encryption, label,
            reducer);
        writer.append(records);
        writer.close();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
