package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;

import org.epost.overlay.wire.CborRecordWriter;
import org.junit.jupiter.api.Test;

/** A user's first-contact choice: bounded, and its canonical codec strict. */
class FirstContactChoiceTest {
    @Test
    void roundTripsEachCombination() {
        for (FirstContactChoice choice : new FirstContactChoice[] {FirstContactChoice.PEER_DEFAULTS,
            new FirstContactChoice(OptionalInt.of(0), Optional.of(true)),
            new FirstContactChoice(OptionalInt.of(8), Optional.of(false)),
            FirstContactChoice.PEER_DEFAULTS.withRefuse(Optional.of(true))}) {
            assertThat(FirstContactChoice.decode(choice.encode())).isEqualTo(choice);
        }
        assertThat(FirstContactChoice.PEER_DEFAULTS.withBaseBits(OptionalInt.of(3)).withBaseBits(OptionalInt.empty()))
            .isEqualTo(FirstContactChoice.PEER_DEFAULTS);
    }

    @Test
    void refusesBitsSendersWouldNotPayAndMalformedBytes() {
        assertThatThrownBy(() -> new FirstContactChoice(OptionalInt.of(9), Optional.empty()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 8");
        assertThatThrownBy(() -> FirstContactChoice.decode(CborRecordWriter.versioned(1, 2, 16).number(9).number(0)
            .end().toBytes())).isInstanceOf(SpamFormatException.class);
        assertThatThrownBy(() -> FirstContactChoice.decode(CborRecordWriter.versioned(1, 2, 16).number(1).number(2)
            .end().toBytes())).isInstanceOf(SpamFormatException.class);
        assertThatThrownBy(() -> FirstContactChoice.decode(CborRecordWriter.versioned(2, 2, 16).number(1).number(1)
            .end().toBytes())).isInstanceOf(SpamFormatException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> FirstContactChoice.decode(CborRecordWriter.versioned(1, 1, 16).number(1)
            .end().toBytes())).isInstanceOf(SpamFormatException.class);
    }
}
