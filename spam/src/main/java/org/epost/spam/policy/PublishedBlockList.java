package org.epost.spam.policy;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The payload of a published block list: which list it is and its entries, or that its publisher withdrew it.
 * Publisher and name are inside the signed payload (not only in the label) so a block cannot be presented as another
 * list, even under a key that was wrongly certified twice. Encoded as {@code [format version 1,
 * "epost/spam/published-list", publisher, name, [entry...]]}, entries sorted and distinct as in {@link BlockList}; a
 * withdrawn list (unpublished: followers drop its entries) as {@code [format version 2, "epost/spam/published-list",
 * publisher, name]}, a version like any other, so it wins over the versions before it.
 */
public record PublishedBlockList(ListRef ref, BlockList list, boolean withdrawn) {
    public static final int FORMAT_VERSION = 1;
    public static final int FORMAT_WITHDRAWN = 2;
    static final String CONTEXT = "epost/spam/published-list";

    public PublishedBlockList {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(list, "list");
        if (withdrawn && !list.entries().isEmpty()) {
            throw new IllegalArgumentException("a withdrawn list has no entries");
        }
    }

    public PublishedBlockList(ListRef ref, BlockList list) {
        this(ref, list, false);
    }

    /** The version that unpublishes {@code ref}. */
    public static PublishedBlockList withdrawn(ListRef ref) {
        return new PublishedBlockList(ref, BlockList.EMPTY, true);
    }

    public byte[] encode() {
        if (withdrawn) {
            return CborRecordWriter.versioned(FORMAT_WITHDRAWN, 3, 96).text(CONTEXT).text(ref.publisher())
                .text(ref.name()).end().toBytes();
        }
        List<String> entries = List.copyOf(list.entries());
        CborRecordWriter out = CborRecordWriter.versioned(FORMAT_VERSION, 4, 96 + entries.size() * 32)
            .text(CONTEXT).text(ref.publisher()).text(ref.name());
        return out.list(entries, out::text).end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical published list of format 1 or 2 */
    public static PublishedBlockList decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "published block list", SpamFormatException.FAILURES, in -> {
            long format = in.beginRecordOfAnyVersion("published block list");
            if (format != FORMAT_VERSION) {
                in.requireVersion(format, FORMAT_WITHDRAWN, "published block list");
            }
            String context = in.text(CONTEXT.length());
            if (!CONTEXT.equals(context)) {
                throw in.malformed("expected \"" + CONTEXT + "\" but found \"" + context + "\"");
            }
            String publisher = in.text(320);
            String name = in.text(4 * ListRef.MAX_NAME_CHARS);
            List<String> entries = format == FORMAT_VERSION
                ? in.list(CborRecordReader::text, BlockList.MAX_ENTRIES, "published list entries") : List.of();
            in.endArray();
            try {
                return new PublishedBlockList(new ListRef(publisher, name), BlockList.of(entries),
                    format == FORMAT_WITHDRAWN);
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }, PublishedBlockList::encode);
    }
}
