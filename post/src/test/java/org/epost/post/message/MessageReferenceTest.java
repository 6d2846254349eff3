package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.store.MalformedPartReferenceException;
import org.epost.post.store.PartReference;
import org.junit.jupiter.api.Test;

/** The message reference's canonical, versioned encoding: {@code [1, size, encoded part reference]}. */
class MessageReferenceTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x33);
    }

    private final PartReference top = new PartReference(Id.hash("skeleton"), KEY, 900, PartReference.Layout.SINGLE,
        false);

    @Test
    void roundTripsDeterministically() {
        MessageReference reference = new MessageReference(top, 123_456_789L);
        byte[] encoded = reference.encode();
        assertThat(encoded).isEqualTo(new CborRecordWriter(96).record(1, 2).number(123_456_789L).bytes(top.encode())
            .end().toBytes());
        assertThat(MessageReference.decode(encoded)).isEqualTo(reference);
        assertThat(new MessageReference(top, 123_456_789L).encode()).isEqualTo(encoded);
        MessageReference largest = new MessageReference(new PartReference(Id.hash("x"), KEY, PartReference.MAX_SIZE,
            PartReference.Layout.MANIFEST, false), Long.MAX_VALUE);
        assertThat(largest.encode()).hasSize(MessageReference.MAX_ENCODED_BYTES);
        assertThat(MessageReference.decode(largest.encode())).isEqualTo(largest);
    }

    @Test
    void theEncodingKeptIsACopyForEveryCallerAndEqualityIsByValue() {
        MessageReference decoded = MessageReference.decode(new MessageReference(top, 77).encode());
        byte[] first = decoded.encode();
        byte[] expected = first.clone();
        first[first.length - 1] ^= 1;

        assertThat(decoded.encode()).isEqualTo(expected);
        byte[] part = decoded.top().encode();
        part[0] ^= 1;
        assertThat(decoded.top().encode()).isEqualTo(top.encode());
        assertThat(decoded).isEqualTo(new MessageReference(top, 77)).hasSameHashCodeAs(new MessageReference(top, 77))
            .isNotEqualTo(new MessageReference(top, 78));
        assertThat(decoded.toString()).contains("size=77");
    }

    @Test
    void anythingButACanonicalEncodingIsRefused() {
        byte[] good = new MessageReference(top, 4096).encode();
        List<byte[]> bad = RecordEncodings.malformed(good);
        bad.add(new CborRecordWriter(96).record(1, 2).number(-1).bytes(top.encode()).end().toBytes());
        bad.add(new byte[MessageReference.MAX_ENCODED_BYTES + 1]);
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> MessageReference.decode(bytes)).as("%d bytes", bytes.length)
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MessageReference.decode(RecordEncodings.withVersion(good, 2)))
            .hasMessageContaining("version 2");
        assertThatThrownBy(() -> MessageReference.decode(RecordEncodings.nonMinimalVersion(good)))
            .hasMessageContaining("canonical");
        // a malformed part reference inside is reported as such
        byte[] badPart = new CborRecordWriter(96).record(1, 2).number(1).bytes(new byte[] {1, 2, 3}).end().toBytes();
        assertThatThrownBy(() -> MessageReference.decode(badPart)).isInstanceOf(MalformedPartReferenceException.class);
    }
}
