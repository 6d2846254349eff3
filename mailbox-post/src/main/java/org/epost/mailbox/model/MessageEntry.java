package org.epost.mailbox.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.message.MessageReference;

/**
 * One message of a folder as its log records it: everything IMAP needs without the content (UID, MODSEQ, flags,
 * dates, sizes, MIME properties) plus the {@link MessageReference} the content is read through when a client asks
 * for it. Immutable; a flag change makes a new entry.
 *
 * @param uid              the message's UID in this folder (> 0)
 * @param modSeq           MODSEQ of its last change (> 0)
 * @param messageId        the message's id, shared by its copies
 * @param threadId         the base message id of its thread
 * @param internalDate     IMAP INTERNALDATE, milliseconds since the epoch
 * @param saveDate         when it was saved into this folder, ms since the epoch, or -1 when unknown
 * @param size             RFC822.SIZE: octets of the whole message
 * @param bodyStart        octet where the body starts (the header's length), as James gives it
 * @param systemFlags      {@link SystemFlags} bits
 * @param userFlags        keywords, sorted, without duplicates
 * @param textualLineCount lines of a text body, or null
 * @param properties       James's MIME properties, in James's order
 * @param content          where the message's bytes are
 * @param prefix           header lines this folder's copy has before the stored content (the home peer's
 *                         {@code X-ePOST-Origin} on mail appended by reference to the sender's stored copy), usually
 *                         empty; the message is {@code prefix} then the content, {@code size} counts both
 */
public record MessageEntry(long uid, long modSeq, MessageKey messageId, MessageKey threadId, long internalDate,
                           long saveDate, long size, long bodyStart, int systemFlags, List<String> userFlags,
                           Long textualLineCount, List<MessageProperty> properties, MessageReference content,
                           byte[] prefix) {
    /** Longest prefix: a few header lines, never content. */
    public static final int MAX_PREFIX_BYTES = 4096;

    public MessageEntry {
        if (uid <= 0 || modSeq <= 0) {
            throw new IllegalArgumentException("UID and MODSEQ are positive: uid " + uid + ", modseq " + modSeq);
        }
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(content, "content");
        prefix = prefix == null ? new byte[0] : prefix.clone();
        if (prefix.length > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("a content prefix has at most " + MAX_PREFIX_BYTES + " bytes, not "
                + prefix.length);
        }
        // a body start beyond the end is kept as given: James reports it for some short messages (its own tests do)
        if (size < 0 || bodyStart < 0) {
            throw new IllegalArgumentException("negative size " + size + " or body start " + bodyStart);
        }
        if (saveDate < -1) {
            throw new IllegalArgumentException("save date " + saveDate);
        }
        if ((systemFlags & ~SystemFlags.ALL) != 0) {
            throw new IllegalArgumentException("unknown system flag bits " + Integer.toBinaryString(systemFlags));
        }
        userFlags = normalizedKeywords(userFlags);
        properties = List.copyOf(properties);
        if (textualLineCount != null && textualLineCount < 0) {
            throw new IllegalArgumentException("negative line count " + textualLineCount);
        }
    }

    /** A message whose content is stored as it is (no prefix). */
    public MessageEntry(long uid, long modSeq, MessageKey messageId, MessageKey threadId, long internalDate,
                        long saveDate, long size, long bodyStart, int systemFlags, List<String> userFlags,
                        Long textualLineCount, List<MessageProperty> properties, MessageReference content) {
        this(uid, modSeq, messageId, threadId, internalDate, saveDate, size, bodyStart, systemFlags, userFlags,
            textualLineCount, properties, content, new byte[0]);
    }

    /** A copy: the array is this entry's own. */
    @Override
    public byte[] prefix() {
        return prefix.clone();
    }

    /** The same message with new flags and MODSEQ. */
    public MessageEntry withFlags(long newModSeq, int newSystemFlags, List<String> newUserFlags) {
        return new MessageEntry(uid, newModSeq, messageId, threadId, internalDate, saveDate, size, bodyStart,
            newSystemFlags, newUserFlags, textualLineCount, properties, content, prefix);
    }

    /** A copy of this message placed in a folder under {@code newUid}. */
    public MessageEntry copyAs(long newUid, long newModSeq, long newSaveDate, int newSystemFlags,
                               List<String> newUserFlags) {
        return new MessageEntry(newUid, newModSeq, messageId, threadId, internalDate, newSaveDate, size, bodyStart,
            newSystemFlags, newUserFlags, textualLineCount, properties, content, prefix);
    }

    public boolean has(int flag) {
        return SystemFlags.has(systemFlags, flag);
    }

    /** Keywords as a sorted, duplicate-free, unmodifiable list; empty or null names are rejected. */
    public static List<String> normalizedKeywords(List<String> keywords) {
        SortedSet<String> sorted = new TreeSet<>();
        for (String keyword : keywords) {
            if (keyword == null || keyword.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            sorted.add(keyword);
        }
        return List.copyOf(sorted);
    }

    // ---------------------------------------------------------------- CBOR

    /** [uid, modseq, messageId, threadId, internalDate, saveDate, size, bodyStart, flags, [keywords], [lines?],
     *  [[ns, name, value]...], content, prefix?]: the prefix only when not empty, so entries written before it
     *  existed read and re-encode the same. */
    void write(CborRecordWriter out) {
        out.array(prefix.length == 0 ? 13 : 14).number(uid).number(modSeq).bytes(messageId.toBytes()).bytes(threadId.toBytes())
            .number(internalDate).number(saveDate).number(size).number(bodyStart).number(systemFlags)
            .list(userFlags, out::text)
            .optional(textualLineCount, out::number)
            .list(properties, p -> out.array(3).text(p.namespace()).text(p.localName()).text(p.value()).end())
            .bytes(content.encode());
        if (prefix.length > 0) {
            out.bytes(prefix);
        }
        out.end();
    }

    static MessageEntry read(CborRecordReader<RecordFormatException> in) {
        in.beginArray();
        long uid = in.nonNegative("uid");
        long modSeq = in.nonNegative("modseq");
        MessageKey messageId = MessageKey.of(in.exactBytes("message id", MessageKey.BYTES));
        MessageKey threadId = MessageKey.of(in.exactBytes("thread id", MessageKey.BYTES));
        long internalDate = in.number();
        long saveDate = in.number();
        long size = in.nonNegative("size");
        long bodyStart = in.nonNegative("body start");
        int flags = in.bounded("system flags", SystemFlags.ALL);
        List<String> keywords = in.list(CborRecordReader::text);
        Long lines = in.optional(r -> r.nonNegative("line count"));
        List<MessageProperty> properties = in.list(r -> {
            r.beginArray();
            MessageProperty property = new MessageProperty(r.text(), r.text(), r.text());
            r.endArray();
            return property;
        });
        MessageReference content = MessageReference.decode(in.bytes(MessageReference.MAX_ENCODED_BYTES));
        byte[] prefix = new byte[0];
        if (in.hasNext()) { // reads the end of the array when there is no prefix
            prefix = in.bytes(MAX_PREFIX_BYTES);
            in.endArray();
        }
        try {
            return new MessageEntry(uid, modSeq, messageId, threadId, internalDate, saveDate, size, bodyStart, flags,
                keywords, lines, properties, content, prefix);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("invalid message entry", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageEntry other && Arrays.equals(EntrySlot.encode(this), EntrySlot.encode(other));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid) * 31 + Long.hashCode(modSeq);
    }
}
