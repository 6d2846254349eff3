package org.epost.durability.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.epost.durability.fragment.FragmentFormatException;
import org.epost.durability.fragment.FragmentManifest;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * Small objects packed into one of about 1 MiB, so that Glacier codes and audits one object instead of hundreds: a
 * fragment of a 4 KiB object alone would be 91 bytes of data under 350 bytes of manifest and proof. The index names
 * each member (PAST handle and block kind) and where its bytes are in the body; members are contiguous, in order,
 * and cover the body exactly, so one encoding has one reading. The aggregate is itself content-addressed: its
 * handle is H(encoding). Canonical CBOR: {@code [1, [[handle, kind, length]...], body]}.
 */
public final class Aggregate {
    public static final int VERSION = 1;
    /** The kind code under which Glacier codes an aggregate (PAST's block kinds use small codes). */
    public static final int KIND_CODE = 255;
    /** Members of one aggregate at most: a 1 MiB aggregate of the smallest useful objects. */
    public static final int MAX_MEMBERS = 16_384;

    /** A member: its PAST handle and block kind, and its length in the body (offsets follow from the order). */
    public record Member(Id handle, int kindCode, int length) {
        public Member {
            Objects.requireNonNull(handle, "handle");
            if (kindCode < 0 || kindCode > 255 || length < 0) {
                throw new IllegalArgumentException("bad member " + handle + " kind " + kindCode + " length " + length);
            }
        }
    }

    private static final CanonicalCborReader.Failures<FragmentFormatException> FAILURES =
        (oversized, message, cause) -> new FragmentFormatException(message);

    private final List<Member> members;
    private final byte[] body;

    public Aggregate(List<Member> members, byte[] body) {
        this.members = List.copyOf(members);
        if (this.members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException(this.members.size() + " members exceed " + MAX_MEMBERS);
        }
        long total = this.members.stream().mapToLong(Member::length).sum();
        if (total != body.length) {
            throw new IllegalArgumentException("members cover " + total + " bytes of a body of " + body.length);
        }
        this.body = body.clone();
    }

    public List<Member> members() {
        return members;
    }

    /** The bytes of the member {@code handle} of kind {@code kindCode}, if it is one. */
    public Optional<byte[]> member(Id handle, int kindCode) {
        int offset = 0;
        for (Member member : members) {
            if (member.handle().equals(handle) && member.kindCode() == kindCode) {
                return Optional.of(Arrays.copyOfRange(body, offset, offset + member.length()));
            }
            offset += member.length();
        }
        return Optional.empty();
    }

    public byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 2, body.length + members.size() * 32 + 16);
        out.list(members, member -> out.array(3).bytes(member.handle().toBytes()).number(member.kindCode())
            .number(member.length()).end());
        return out.bytes(body).end().toBytes();
    }

    /** The aggregate's own handle: H(encoding), as a content-hash block's. */
    public Id handle() {
        return Id.hash(encode());
    }

    public static Aggregate decode(byte[] bytes) throws FragmentFormatException {
        if (bytes != null && bytes.length > FragmentManifest.MAX_OBJECT_BYTES) {
            throw new FragmentFormatException("aggregate of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "aggregate", FAILURES, in -> {
            in.beginRecord(VERSION, "aggregate");
            List<Member> members = new ArrayList<>(in.list(member -> {
                member.beginArray();
                Id handle = Id.of(member.exactBytes("member handle", Id.BYTES));
                int kind = member.bounded("member kind", 255);
                int length = member.bounded("member length", FragmentManifest.MAX_OBJECT_BYTES);
                member.endArray();
                return new Member(handle, kind, length);
            }, MAX_MEMBERS, "aggregate index"));
            byte[] body = in.bytes(FragmentManifest.MAX_OBJECT_BYTES);
            in.endArray();
            return new Aggregate(members, body);
        }, Aggregate::encode);
    }
}
