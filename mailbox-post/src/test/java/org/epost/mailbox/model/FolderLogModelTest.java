package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.post.log.LogRecord;
import org.epost.post.message.MessageReference;
import org.epost.post.store.PartReference;
import org.junit.jupiter.api.Test;

/** The folder log's records and state: round trips, canonical bytes only, and records that contradict the state. */
class FolderLogModelTest {
    private static final MessageKey ID = new MessageKey(1, 2);
    private static final MessageReference CONTENT = new MessageReference(
        new PartReference(Id.hash("part"), new byte[32], 120, PartReference.Layout.SINGLE, true), 120);

    private static MessageEntry entry(long uid, long modSeq, int flags, List<String> keywords) {
        return new MessageEntry(uid, modSeq, ID, ID, 1_700_000_000_000L, 1_700_000_000_500L, 120, 40, flags, keywords,
            3L, List.of(new MessageProperty("mime", "subtype", "plain")), CONTENT);
    }

    private static LogRecord record(long seq, FolderRecord record) {
        return new LogRecord(seq, record.type(), record.encode());
    }

    @Test
    void recordsRoundTrip() {
        FolderRecord added = new FolderRecord.MessageAdded(entry(7, 9, SystemFlags.SEEN, List.of("b", "a")));
        FolderRecord flags = new FolderRecord.FlagsChanged(7, 10, SystemFlags.FLAGGED, List.of("x"));
        FolderRecord expunged = new FolderRecord.MessageExpunged(7, 11);

        assertThat(FolderRecord.decode(record(0, added))).isEqualTo(added);
        assertThat(FolderRecord.decode(record(1, flags))).isEqualTo(flags);
        assertThat(FolderRecord.decode(record(2, expunged))).isEqualTo(expunged);
        assertThat(((FolderRecord.MessageAdded) added).message().userFlags()).containsExactly("a", "b");
    }

    @Test
    void nonCanonicalOrTruncatedOrUnknownRecordsAreRejected() {
        byte[] good = new FolderRecord.MessageExpunged(7, 11).encode();
        byte[] nonCanonical = {(byte) 0x82, 0x01, (byte) 0x82, 0x18, 0x07, 0x0b}; // uid 7 written in two bytes
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);

        assertThatThrownBy(() -> FolderRecord.decode(new LogRecord(0, FolderRecord.MESSAGE_EXPUNGED, nonCanonical)))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> FolderRecord.decode(new LogRecord(0, FolderRecord.MESSAGE_EXPUNGED, truncated)))
            .isInstanceOf(RecordFormatException.class);
        assertThatThrownBy(() -> FolderRecord.decode(new LogRecord(0, 99, good)))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("unknown");
    }

    @Test
    void theReducerKeepsCountersAndIndexesAndItsEncodingRoundTrips() {
        FolderReducer reducer = FolderReducer.INSTANCE;
        FolderState state = reducer.initial();
        state = reducer.reduce(state, record(0, new FolderRecord.MessageAdded(entry(1, 1, 0, List.of("k1")))));
        state = reducer.reduce(state, record(1, new FolderRecord.MessageAdded(entry(2, 2, SystemFlags.SEEN, List.of()))));
        state = reducer.reduce(state, record(2, new FolderRecord.FlagsChanged(1, 3, SystemFlags.SEEN, List.of())));
        state = reducer.reduce(state, record(3, new FolderRecord.MessageExpunged(2, 4)));

        assertThat(state.lastUid()).isEqualTo(2);
        assertThat(state.highestModSeq()).isEqualTo(4);
        assertThat(state.count()).isEqualTo(1);
        assertThat(state.unseen()).isZero();
        assertThat(state.octets()).isEqualTo(120);
        assertThat(state.keywords()).containsExactly("k1");
        assertThat(state.uidsOf(ID)).containsExactly(1L);
        FolderState decoded = reducer.decode(reducer.encode(state));
        assertThat(reducer.encode(decoded)).isEqualTo(reducer.encode(state));
        assertThat(decoded.unseen()).isEqualTo(state.unseen());
        assertThat(decoded.uidsOf(ID)).containsExactly(1L);
    }

    @Test
    void reducingLeavesTheGivenStateAsItWas() {
        FolderReducer reducer = FolderReducer.INSTANCE;
        FolderState one = reducer.reduce(reducer.initial(),
            record(0, new FolderRecord.MessageAdded(entry(1, 1, 0, List.of("k1")))));
        assertThat(one.uidsOf(ID)).containsExactly(1L); // builds the index, carried into the states derived from it
        FolderState two = reducer.reduce(one, record(1, new FolderRecord.MessageAdded(entry(2, 2, 0, List.of("k2")))));
        FolderState seen = reducer.reduce(two, record(2, new FolderRecord.FlagsChanged(1, 3, SystemFlags.SEEN,
            List.of("k3"))));
        FolderState expunged = reducer.reduce(seen, record(3, new FolderRecord.MessageExpunged(2, 4)));

        assertThat(one.count()).isEqualTo(1);
        assertThat(one.uids()).containsExactly(1L);
        assertThat(one.unseen()).isEqualTo(1);
        assertThat(one.keywords()).containsExactly("k1");
        assertThat(one.highestModSeq()).isEqualTo(1);
        assertThat(one.get(1).systemFlags()).isZero();
        assertThat(two.uids()).containsExactly(1L, 2L);
        assertThat(two.uidsOf(ID)).containsExactly(1L, 2L);
        assertThat(two.unseen()).isEqualTo(2);
        assertThat(seen.get(1).systemFlags()).isEqualTo(SystemFlags.SEEN);
        assertThat(seen.keywords()).containsExactly("k1", "k2", "k3");
        assertThat(seen.unseen()).isEqualTo(1);
        assertThat(two.get(1).systemFlags()).isZero();
        assertThat(two.keywords()).containsExactly("k1", "k2");
        assertThat(expunged.uids()).containsExactly(1L);
        assertThat(expunged.uidsOf(ID)).containsExactly(1L);
        assertThat(expunged.octets()).isEqualTo(120);
        assertThat(seen.uids()).containsExactly(1L, 2L);
        assertThat(seen.uidsOf(ID)).containsExactly(1L, 2L);
        assertThat(seen.octets()).isEqualTo(240);
        assertThatThrownBy(() -> one.keywords().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordsThatContradictTheStateFailLoudly() {
        FolderReducer reducer = FolderReducer.INSTANCE;
        FolderState state = reducer.reduce(reducer.initial(),
            record(0, new FolderRecord.MessageAdded(entry(1, 1, 0, List.of()))));

        assertThatThrownBy(() -> reducer.reduce(state,
                record(1, new FolderRecord.MessageAdded(entry(1, 2, 0, List.of())))))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("UID 1");
        assertThatThrownBy(() -> reducer.reduce(state, record(1, new FolderRecord.FlagsChanged(5, 2, 0, List.of()))))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("UID 5");
        assertThatThrownBy(() -> reducer.reduce(state, record(1, new FolderRecord.MessageExpunged(5, 2))))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidEntriesAreRefused() {
        assertThatThrownBy(() -> entry(0, 1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry(1, 1, 1 << 9, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry(1, 1, 0, List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
