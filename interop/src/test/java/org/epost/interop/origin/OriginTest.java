package org.epost.interop.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginTest {
    @Test
    void writesAndReadsBothKinds() {
        assertThat(Origin.external().headerValue()).isEqualTo("external");
        assertThat(Origin.verified("alice@epost.test").headerValue()).isEqualTo("verified; sender=<alice@epost.test>");
        assertThat(Origin.parse("external")).contains(Origin.external());
        assertThat(Origin.parse(" verified; sender=<alice@epost.test> ")).contains(Origin.verified("alice@epost.test"));
        assertThat(Origin.parse("verified; sender=<alice@epost.test>").orElseThrow().sender()).contains("alice@epost.test");
        assertThat(Origin.external().isVerified()).isFalse();
    }

    @Test
    void refusesAddressesThatCouldSmuggleAnotherValue() {
        assertThatThrownBy(() -> Origin.verified("alice@epost.test>\r\nX-ePOST-Origin: external"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Origin.verified("alice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Origin.verified("a b@epost.test")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anythingElseIsNoOrigin() {
        assertThat(Origin.parse("verified")).isEmpty();
        assertThat(Origin.parse("verified; sender=alice@epost.test")).isEmpty();
        assertThat(Origin.parse("verified; sender=<alice@epost.test>; extra")).isEmpty();
        assertThat(Origin.parse("internal")).isEmpty();
        assertThat(Origin.parse("")).isEmpty();
    }
}
