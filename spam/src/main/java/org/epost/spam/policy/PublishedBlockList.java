package org.epost.spam.policy;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The payload of a published block list: which list it is and its entries. Publisher and name are inside the signed
 * payload (not only in the label) so a block cannot be presented as another list, even under a key that was wrongly
 * certified twice. Encoded as {@code [format version 1, "epost/spam/published-list", publisher, name, [entry...]]},
 * entries sorted and distinct as in {@link BlockList}.
 */
public record PublishedBlockList(ListRef ref, BlockList list) {
    public static final int FORMAT_VERSION = 1;
    static final String CONTEXT = "epost/spam/published-list";

    public PublishedBlockList {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(list, "list");
    }

    public byte[] encode() {
        List<String> entries = List.copyOf(list.entries());
        CborRecordWriter out = CborRecordWriter.versioned(FORMAT_VERSION, 4, 96 + entries.size() * 32)
            .text(CONTEXT).text(ref.publisher()).text(ref.name());
        return out.list(entries, out::text).end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 published list */
    public static PublishedBlockList decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "published block list", SpamFormatException.FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "published block list");
            String context = in.text(CONTEXT.length());
            if (!CONTEXT.equals(context)) {
                throw in.malformed("expected \"" + CONTEXT + "\" but found \"" + context + "\"");
            }
            String publisher = in.text(320);
            String name = in.text(4 * ListRef.MAX_NAME_CHARS);
            List<String> entries = in.list(CborRecordReader::text, BlockList.MAX_ENTRIES, "published list entries");
            in.endArray();
            try {
                return new PublishedBlockList(new ListRef(publisher, name), BlockList.of(entries));
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }, PublishedBlockList::encode);
    }
}
