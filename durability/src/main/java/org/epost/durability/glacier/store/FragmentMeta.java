package org.epost.durability.glacier.store;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * What a store keeps beside a fragment's bytes, kept apart from them so that a lease extension rewrites a few bytes
 * and a restart reads only these records to rebuild its index.
 *
 * <p>On disk: canonical CBOR {@code [version 1, expiry: int, n: uint, encodedBytes: uint]}. Only this node writes
 * these records; anything but a canonical record is corruption.
 *
 * @param expiry       when the holder may delete the fragment (millis)
 * @param n            the fragment count of the object's code (audits compare fragments of one code)
 * @param encodedBytes length of the stored fragment encoding (what the quota counts)
 */
public record FragmentMeta(long expiry, int n, int encodedBytes) {
    static final int FORMAT_VERSION = 1;
    /** Array and format version (2), a 64-bit integer (9), two 32-bit ones (5 each). */
    static final int MAX_ENCODED_BYTES = 2 + 9 + 5 + 5;
    private static final CanonicalCborReader.Failures<FragmentStoreException> FAILURES =
        (oversized, message, cause) -> new FragmentStoreException("Corrupt fragment record: " + message);

    public FragmentMeta {
        if (n < 1 || encodedBytes < 0) {
            throw new IllegalArgumentException("bad fragment record: n=" + n + " bytes=" + encodedBytes);
        }
    }

    public FragmentMeta withExpiry(long newExpiry) {
        return new FragmentMeta(newExpiry, n, encodedBytes);
    }

    byte[] encode() {
        return CborRecordWriter.versioned(FORMAT_VERSION, 3, MAX_ENCODED_BYTES).number(expiry).number(n)
            .number(encodedBytes).end().toBytes();
    }

    static FragmentMeta decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new FragmentStoreException("Corrupt fragment record of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "fragment record", FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "fragment record");
            long expiry = in.number();
            int n = in.bounded("n", 255);
            int encodedBytes = in.bounded("fragment bytes", Integer.MAX_VALUE);
            in.endArray();
            if (n < 1) {
                throw new FragmentStoreException("Corrupt fragment record: n=0");
            }
            return new FragmentMeta(expiry, n, encodedBytes);
        }, FragmentMeta::encode);
    }
}
