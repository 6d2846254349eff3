package org.epost.durability.aggregate;

import java.util.Objects;

import org.epost.durability.fragment.FragmentFormatException;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * Where an aggregated member lives: the handle of the aggregate whose index holds the member {@code member} of block
 * kind {@code kindCode}. Held at the n positions the member's own fragments would have
 * ({@link org.epost.durability.fragment.FragmentPlacement}), so a reader that finds neither a PAST replica nor a
 * fragment of the member asks the same holders. A pointer is not trusted: the aggregate it names must rebuild, list
 * the member and give bytes that verify against the member's handle, so a forged pointer costs a reader a wasted
 * rebuild, never a wrong block. Canonical CBOR: {@code [1, member, kind, aggregate]}, 45 bytes.
 */
public record AggregatePointer(Id member, int kindCode, Id aggregate) {
    public static final int VERSION = 1;
    public static final int MAX_ENCODED_BYTES = 96;
    private static final CanonicalCborReader.Failures<FragmentFormatException> FAILURES =
        (oversized, message, cause) -> new FragmentFormatException(message);

    public AggregatePointer {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(aggregate, "aggregate");
        if (kindCode < 0 || kindCode > 255) {
            throw new IllegalArgumentException("kind code outside 0..255: " + kindCode);
        }
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 3, MAX_ENCODED_BYTES).bytes(member.toBytes()).number(kindCode)
            .bytes(aggregate.toBytes()).end().toBytes();
    }

    public static AggregatePointer decode(byte[] bytes) throws FragmentFormatException {
        if (bytes != null && bytes.length > MAX_ENCODED_BYTES) {
            throw new FragmentFormatException("aggregate pointer of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "aggregate pointer", FAILURES, in -> {
            in.beginRecord(VERSION, "aggregate pointer");
            Id member = Id.of(in.exactBytes("member handle", Id.BYTES));
            int kind = in.bounded("member kind", 255);
            Id aggregate = Id.of(in.exactBytes("aggregate handle", Id.BYTES));
            in.endArray();
            return new AggregatePointer(member, kind, aggregate);
        }, AggregatePointer::encode);
    }
}
