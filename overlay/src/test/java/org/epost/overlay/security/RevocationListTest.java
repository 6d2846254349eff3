package org.epost.overlay.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordWriter;
import org.junit.jupiter.api.Test;

class RevocationListTest {
    private static final Instant ISSUED = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant NEXT = Instant.parse("2026-12-08T00:00:00Z");
    private final KeyPair authority = NodeCertificates.generateKeyPair();
    private final Id node = Id.hash("node");
    private final Id user = Id.hash("user key");

    private RevocationList list() {
        return RevocationList.sign(authority.getPrivate(), 7, ISSUED, NEXT, Set.of(node, Id.hash("other node")), Set.of(user));
    }

    @Test
    void aListRoundTripsThroughItsCanonicalEncodingWithItsSignature() {
        RevocationList list = list();

        RevocationList decoded = RevocationList.decode(list.encode());

        assertThat(decoded).isEqualTo(list);
        assertThat(decoded.signedBy(authority.getPublic())).isTrue();
        assertThat(decoded.number()).isEqualTo(7);
        assertThat(decoded.issuedAt()).isEqualTo(ISSUED);
        assertThat(decoded.nextUpdate()).isEqualTo(NEXT);
        assertThat(decoded.revokesNode(node)).isTrue();
        assertThat(decoded.revokesNode(user)).isFalse();
        assertThat(decoded.revokesUserKey(user)).isTrue();
    }

    @Test
    void anotherAuthorityOrAChangedByteBreaksTheSignature() {
        byte[] bytes = list().encode();
        KeyPair other = NodeCertificates.generateKeyPair();
        assertThat(RevocationList.decode(bytes).signedBy(other.getPublic())).isFalse();

        // the list number is the second element: [1, 7, ...] -> [1, 8, ...] still decodes, but no longer verifies
        byte[] renumbered = bytes.clone();
        assertThat(renumbered[2]).isEqualTo((byte) 7);
        renumbered[2] = 8;
        assertThat(RevocationList.decode(renumbered).signedBy(authority.getPublic())).isFalse();
    }

    @Test
    void malformedOrNonCanonicalBytesAreRefusedClearly() {
        byte[] bytes = list().encode();
        assertThatThrownBy(() -> RevocationList.decode(Arrays.copyOf(bytes, bytes.length - 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revocation list");
        CborRecordWriter out = CborRecordWriter.versioned(RevocationList.FORMAT_VERSION, 6, 200).number(1).number(1).number(2);
        java.util.List<Id> descending = java.util.List.of(Id.hash("a"), Id.hash("b")).stream()
            .sorted(java.util.Comparator.reverseOrder()).toList();
        byte[] unsorted = out.list(descending, id -> out.bytes(id.toBytes())).list(java.util.List.<Id>of(), id -> { })
            .bytes(new byte[8]).end().toBytes();
        assertThatThrownBy(() -> RevocationList.decode(unsorted)).hasMessageContaining("canonical");
        assertThatThrownBy(() -> RevocationList.decode(CborRecordWriter.versioned(2, 0, 8).end().toBytes()))
            .hasMessageContaining("format version 2");
        assertThatThrownBy(() -> RevocationList.sign(authority.getPrivate(), 0, ISSUED, NEXT, Set.of(), Set.of()))
            .hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> RevocationList.sign(authority.getPrivate(), 1, NEXT, ISSUED, Set.of(), Set.of()))
            .hasMessageContaining("not after issue");
    }
}
