package org.epost.spam.policy;

import java.util.Optional;
import java.util.OptionalInt;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.spam.puzzle.PuzzleDifficulty;

/**
 * A user's own choice for first contacts, over their home peer's configuration: the base difficulty of the puzzle
 * (published in their identity block) and whether a first contact without a valid puzzle is refused (bounced) rather
 * than junked. An empty field follows the peer. Immutable. Encoded as {@code [format version 1, baseBits, refuse]},
 * -1 for a field that follows the peer, refuse 0 (junk) or 1 (refuse).
 */
public record FirstContactChoice(OptionalInt baseBits, Optional<Boolean> refuse) {
    public static final int FORMAT_VERSION = 1;
    public static final FirstContactChoice PEER_DEFAULTS =
        new FirstContactChoice(OptionalInt.empty(), Optional.empty());

    public FirstContactChoice {
        if (baseBits.isPresent() && (baseBits.getAsInt() < 0
                || baseBits.getAsInt() > PuzzleDifficulty.MAX_PUBLISHED_BITS)) {
            throw new IllegalArgumentException("a base of 0 to " + PuzzleDifficulty.MAX_PUBLISHED_BITS
                + " bits (senders solve at most that), not " + baseBits.getAsInt());
        }
    }

    public FirstContactChoice withBaseBits(OptionalInt bits) {
        return new FirstContactChoice(bits, refuse);
    }

    public FirstContactChoice withRefuse(Optional<Boolean> choice) {
        return new FirstContactChoice(baseBits, choice);
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(FORMAT_VERSION, 2, 16).number(baseBits.orElse(-1))
            .number(refuse.map(yes -> yes ? 1 : 0).orElse(-1)).end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 choice */
    public static FirstContactChoice decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "first-contact choice", SpamFormatException.FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "first-contact choice");
            long bits = in.number();
            long refuse = in.number();
            in.endArray();
            if (bits < -1 || bits > PuzzleDifficulty.MAX_PUBLISHED_BITS || refuse < -1 || refuse > 1) {
                throw in.malformed("base bits " + bits + ", refuse " + refuse);
            }
            return new FirstContactChoice(bits < 0 ? OptionalInt.empty() : OptionalInt.of((int) bits),
                refuse < 0 ? Optional.empty() : Optional.of(refuse == 1));
        }, FirstContactChoice::encode);
    }
}
