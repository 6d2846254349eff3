package org.epost.mailbox.model;

import java.util.Objects;

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

    void write(Cbor.Writer out) {
        out.array(8).text(attachmentId).bytes(messageId.toBytes()).text(contentType).number(size)
            .optional(name, out::text).optional(cid, out::text).bool(inline).bytes(content.encode()).end();
    }

    static AttachmentInfo read(Cbor.Reader in) {
        in.beginArray();
        AttachmentInfo info = new AttachmentInfo(in.text(), MessageKey.of(in.exactBytes("message id", MessageKey.BYTES)),
            in.text(), in.nonNegative("size"), in.optional(Cbor.Reader::text), in.optional(Cbor.Reader::text),
            in.bool("inline"), MessageReference.decode(in.exactBytes("content", MessageReference.ENCODED_BYTES)));
        in.endArray();
        return info;
    }
}
