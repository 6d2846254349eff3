package org.epost.post.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.SegmentedAead;
import org.junit.jupiter.api.Test;

/** The manifest's canonical, versioned encoding: {@code [1, size, [[handle, length], ...]]}, checked on decoding. */
class ManifestTest {
    private static final long SIZE = 1_500_000;
    private static final int FIRST = 1 << 20;
    private static final int SECOND = (int) (SegmentedAead.ciphertextLength(SIZE) - FIRST);

    private final Manifest manifest = new Manifest(SIZE, List.of(new Manifest.Chunk(Id.hash("c0"), FIRST),
        new Manifest.Chunk(Id.hash("c1"), SECOND)));

    @Test
    void roundTripsDeterministically() {
        byte[] encoded = manifest.encode();
        assertThat(encoded).isEqualTo(new CborRecordWriter(128).record(1, 2).number(SIZE).array(2)
            .array(2).bytes(Id.hash("c0").toBytes()).number(FIRST).end()
            .array(2).bytes(Id.hash("c1").toBytes()).number(SECOND).end().end().end().toBytes());
        assertThat(encoded.length).isLessThanOrEqualTo(Manifest.HEADER_BYTES + 2 * Manifest.ENTRY_BYTES);
        assertThat(Manifest.decode(encoded, SIZE)).isEqualTo(manifest);
        assertThat(new Manifest(SIZE, new ArrayList<>(manifest.chunks())).encode()).isEqualTo(encoded);
    }

    @Test
    void anythingButACanonicalConsistentManifestIsRefused() {
        byte[] good = manifest.encode();
        List<byte[]> bad = RecordEncodings.malformed(good);
        // one chunk only; a chunk of 0 or more than a block; lengths that do not add up; a short handle
        bad.add(encode(SIZE, List.of(new Manifest.Chunk(Id.hash("c0"), FIRST + SECOND))));
        bad.add(encode(SIZE, List.of(new Manifest.Chunk(Id.hash("c0"), FIRST + SECOND), new Manifest.Chunk(Id.hash("c1"), 0))));
        bad.add(encode(SIZE, List.of(new Manifest.Chunk(Id.hash("c0"), BlockLimits.DEFAULT_MAX_CONTENT_BYTES + 1),
            new Manifest.Chunk(Id.hash("c1"), SECOND - 1))));
        bad.add(encode(SIZE, List.of(new Manifest.Chunk(Id.hash("c0"), FIRST), new Manifest.Chunk(Id.hash("c1"), SECOND + 1))));
        bad.add(new CborRecordWriter(128).record(1, 2).number(SIZE).array(2).array(2).bytes(new byte[19]).number(FIRST)
            .end().array(2).bytes(Id.hash("c1").toBytes()).number(SECOND).end().end().end().toBytes());
        for (byte[] bytes : bad) {
            assertThatThrownBy(() -> Manifest.decode(bytes, SIZE)).as("%d bytes", bytes.length)
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Manifest.decode(RecordEncodings.withVersion(good, 2), SIZE))
            .hasMessageContaining("version 2");
        assertThatThrownBy(() -> Manifest.decode(RecordEncodings.nonMinimalVersion(good), SIZE))
            .hasMessageContaining("canonical");
        assertThatThrownBy(() -> Manifest.decode(good, SIZE + 1)).hasMessageContaining("the reference");
        assertThatThrownBy(() -> Manifest.decode(bad.get(bad.size() - 2), SIZE)).hasMessageContaining("add up");
    }

    private static byte[] encode(long size, List<Manifest.Chunk> chunks) {
        CborRecordWriter out = new CborRecordWriter(128).record(1, 2).number(size);
        return out.list(chunks, c -> out.array(2).bytes(c.handle().toBytes()).number(c.length()).end()).end().toBytes();
    }
}
