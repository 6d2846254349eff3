package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.james.mailbox.model.Header;
import org.epost.overlay.id.Id;
import org.epost.post.RecordEncodings;
import org.epost.post.log.LogRecord;
import org.epost.post.message.MessageReference;
import org.epost.post.store.PartReference;
import org.junit.jupiter.api.Test;

/**
 * Every structure the backend stores (folder and account records, folder and account states, MIME structures) is
 * {@code [format version 1, body]} in the shared canonical CBOR record codec: it round-trips to the same bytes, and
 * another version, truncated or trailing bytes, garbage and non-canonical encodings are {@link RecordFormatException}s.
 */
class RecordVersionsTest {
    private static final MessageKey ID = new MessageKey(1, 2);
    private static final MessageReference CONTENT = new MessageReference(
        new PartReference(Id.hash("part"), new byte[32], 120, PartReference.Layout.SINGLE, true), 120);
    private static final FolderId INBOX = FolderId.of(new byte[FolderId.BYTES]);

    private static MessageEntry entry(long uid) {
        return new MessageEntry(uid, uid, ID, ID, 1_700_000_000_000L, 1_700_000_000_500L, 120, 40, SystemFlags.SEEN,
            List.of("k"), 3L, List.of(new MessageProperty("mime", "subtype", "plain")), CONTENT);
    }

    @Test
    void folderRecords() {
        List<FolderRecord> records = List.of(new FolderRecord.MessageAdded(entry(7)),
            new FolderRecord.FlagsChanged(7, 10, SystemFlags.FLAGGED, List.of("x")),
            new FolderRecord.MessageExpunged(7, 11));
        assertThat(new FolderRecord.MessageExpunged(7, 11).encode())
            .containsExactly(0x82, FolderRecord.FORMAT_VERSION, 0x82, 0x07, 0x0b);
        for (FolderRecord record : records) {
            check(record.encode(), bytes -> FolderRecord.decode(new LogRecord(3, record.type(), bytes)), record);
        }
    }

    @Test
    void accountRecords() {
        List<AccountRecord> records = List.of(new AccountRecord.FolderCreated(INBOX, "#private", "INBOX", 7),
            new AccountRecord.Subscribed("INBOX"), new AccountRecord.AnnotationSet(INBOX, "/private/comment", "hi"),
            new AccountRecord.QuotaLimitSet(QuotaResource.STORAGE, QuotaLimit.of(1000)));
        for (AccountRecord record : records) {
            assertThat(record.encode()[1]).isEqualTo((byte) AccountRecord.FORMAT_VERSION);
            check(record.encode(), bytes -> AccountRecord.decode(new LogRecord(3, record.type(), bytes)), record);
        }
    }

    @Test
    void folderStates() {
        FolderReducer reducer = FolderReducer.INSTANCE;
        FolderState state = reducer.initial();
        state = reducer.reduce(state, new LogRecord(0, FolderRecord.MESSAGE_ADDED,
            new FolderRecord.MessageAdded(entry(1)).encode()));
        state = reducer.reduce(state, new LogRecord(1, FolderRecord.MESSAGE_ADDED,
            new FolderRecord.MessageAdded(entry(2)).encode()));
        byte[] encoded = reducer.encode(state);
        assertThat(encoded[1]).isEqualTo((byte) FolderStateCodec.FORMAT_VERSION);
        assertThat(reducer.encode(reducer.decode(encoded))).isEqualTo(encoded);
        check(encoded, reducer::decode, null);
        check(reducer.encode(reducer.initial()), reducer::decode, null);
    }

    @Test
    void accountStates() {
        AccountReducer reducer = AccountReducer.INSTANCE;
        AccountState state = reducer.reduce(reducer.initial(), new LogRecord(0, AccountRecord.FOLDER_CREATED,
            new AccountRecord.FolderCreated(INBOX, "#private", "INBOX", 7).encode()));
        state = reducer.reduce(state, new LogRecord(1, AccountRecord.QUOTA_LIMIT_SET,
            new AccountRecord.QuotaLimitSet(QuotaResource.MESSAGES, QuotaLimit.of(5)).encode()));
        byte[] encoded = reducer.encode(state);
        assertThat(encoded[1]).isEqualTo((byte) AccountState.FORMAT_VERSION);
        assertThat(reducer.encode(reducer.decode(encoded))).isEqualTo(encoded);
        check(encoded, reducer::decode, null);
        check(reducer.encode(reducer.initial()), reducer::decode, null);
    }

    @Test
    void mimeStructures() {
        MimeStructure leaf = new MimeStructure(List.of(new Header("Content-Type", "text/plain")), "text", "plain",
            null, null, null, null, "7bit", null, null, null, Map.of("charset", "us-ascii"), 1, 10, List.of(), null);
        MimeStructure top = new MimeStructure(List.of(new Header("Subject", "hi")), "multipart", "mixed", null, null,
            null, null, null, null, null, null, Map.of("boundary", "b"), 0, 100, List.of(leaf, leaf), null);
        byte[] encoded = top.encode();
        assertThat(encoded[1]).isEqualTo((byte) MimeStructure.FORMAT_VERSION);
        assertThat(MimeStructure.decode(encoded).encode()).isEqualTo(encoded);
        check(encoded, MimeStructure::decode, null);
    }

    /** {@code encoded} decodes (to {@code expected} if given) and every malformed variant of it is refused. */
    private static <T> void check(byte[] encoded, Function<byte[], T> decode, T expected) {
        T decoded = decode.apply(encoded);
        if (expected != null) {
            assertThat(decoded).isEqualTo(expected);
        }
        List<byte[]> bad = RecordEncodings.malformed(encoded);
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> decode.apply(bytes)).as("%d bytes", bytes.length)
                .isInstanceOf(RecordFormatException.class);
        }
        int unknown = encoded[1] + 1;
        assertThatThrownBy(() -> decode.apply(RecordEncodings.withVersion(encoded, unknown)))
            .hasMessageContaining("version " + unknown);
        assertThatThrownBy(() -> decode.apply(RecordEncodings.nonMinimalVersion(encoded)))
            .hasMessageContaining("canonical");
        assertThatThrownBy(() -> decode.apply(RecordEncodings.indefiniteLength(encoded)))
            .hasMessageContaining("canonical");
    }
}
