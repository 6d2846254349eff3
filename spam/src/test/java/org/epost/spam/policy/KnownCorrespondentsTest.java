package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class KnownCorrespondentsTest {
    @Test
    void addressesAreNormalizedAndTheOldestLeavesWhenFull() {
        KnownCorrespondents known = KnownCorrespondents.EMPTY.with("Alice@EPOST.test");
        assertThat(known.knows("alice@epost.test")).isTrue();
        assertThat(known.with("alice@epost.test")).isSameAs(known);
        KnownCorrespondents full = KnownCorrespondents.EMPTY;
        for (int i = 0; i < KnownCorrespondents.MAX_ENTRIES; i++) {
            full = full.with("user" + i + "@epost.test");
        }
        KnownCorrespondents more = full.with("new@epost.test");
        assertThat(more.addresses()).hasSize(KnownCorrespondents.MAX_ENTRIES);
        assertThat(more.knows("user0@epost.test")).isFalse();
        assertThat(more.knows("user1@epost.test")).isTrue();
        assertThat(more.addresses().get(KnownCorrespondents.MAX_ENTRIES - 1)).isEqualTo("new@epost.test");
    }

    @Test
    void theCodecRoundTripsInOrderAndIsStrict() {
        KnownCorrespondents known = KnownCorrespondents.of(List.of("b@x.test", "a@x.test"));
        KnownCorrespondents decoded = KnownCorrespondents.decode(known.encode());
        assertThat(decoded).isEqualTo(known);
        assertThat(decoded.addresses()).containsExactly("b@x.test", "a@x.test");
        byte[] other = known.encode();
        other[1] = 2;
        assertThatThrownBy(() -> KnownCorrespondents.decode(other)).isInstanceOf(SpamFormatException.class)
            .hasMessageContaining("version");
        byte[] twice = org.epost.overlay.wire.CborRecordWriter.envelope(1, 64,
            out -> out.list(List.of("a@x.test", "a@x.test"), out::text));
        assertThatThrownBy(() -> KnownCorrespondents.decode(twice)).isInstanceOf(SpamFormatException.class)
            .hasMessageContaining("twice");
        byte[] notAnAddress = org.epost.overlay.wire.CborRecordWriter.envelope(1, 64,
            out -> out.list(List.of("nobody"), out::text));
        assertThatThrownBy(() -> KnownCorrespondents.decode(notAnAddress)).isInstanceOf(SpamFormatException.class);
    }
}
