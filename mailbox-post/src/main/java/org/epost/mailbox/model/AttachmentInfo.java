package org.epost.mailbox.model;

import java.util.Objects;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.message.MessageReference;

/**
 * An attachment James extracted from a message: its id, the message it came from, what James shows of it, and the
 * reference its (encrypted, convergent) content is stored under.
 *
 * @param name   file name, or null
 * @param cid    Content-ID, or null
 */
public record AttachmentInfo(String attachmentId, MessageKey messageId, String contentType, long size, String name,
                             String cid, boolean inline, MessageReference content) {
    public AttachmentInfo {
        Objects.requireNonNull(attachmentId, "attachmentId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
        if (size < 0) {
            throw new IllegalArgumentException("negative attachment size " + size);
        }
    }

    void write(CborRecordWriter out) {
        out.array(8).text(attachmentId).bytes(messageId.toBytes()).text(contentType).number(size)
            .optional(name, out::text).optional(cid, out::text).bool(inline).bytes(content.encode()).end();
    }

    static AttachmentInfo read(CborRecordReader<RecordFormatException> in) {
        in.beginArray();
        AttachmentInfo info = new AttachmentInfo(in.text(), MessageKey.of(in.exactBytes("message id", MessageKey.BYTES)),
            in.text(), in.nonNegative("size"), in.optional(CborRecordReader::text),
            in.optional(CborRecordReader::text), in.bool("inline"), MessageReference.decode(in.bytes(MessageReference.MAX_ENCODED_BYTES)));
        in.endArray();
        return info;
    }
}
