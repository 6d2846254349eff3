package org.epost.interop.migration;

import java.util.Objects;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * One line of a user's migration progress log: a message of a legacy folder (its name, UIDVALIDITY and UID) that is
 * about to be appended ({@code PENDING}) or is in the ePOST mailbox ({@code DONE}). Canonical CBOR
 * {@code [1, state, folder, uidValidity, uid]}.
 */
public record ProgressEntry(State state, String folder, long uidValidity, long uid) {
    public static final int VERSION = 1;
    private static final CanonicalCborReader.Failures<IllegalArgumentException> FAILURES =
        (oversized, message, cause) -> new IllegalArgumentException(message, cause);

    public enum State { PENDING, DONE }

    public ProgressEntry {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(folder, "folder");
        if (uidValidity < 0 || uid < 0) {
            throw new IllegalArgumentException("UIDVALIDITY and UID are not negative");
        }
    }

    public byte[] encode() {
        return CborRecordWriter.versioned(VERSION, 4, 32 + folder.length() * 3)
            .number(state.ordinal()).text(folder).number(uidValidity).number(uid).end().toBytes();
    }

    public static ProgressEntry decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "migration progress entry", FAILURES, in -> {
            in.beginRecord(VERSION, "migration progress entry");
            State state = State.values()[in.bounded("state", State.values().length - 1)];
            String folder = in.text(4096);
            long uidValidity = in.nonNegative("UIDVALIDITY");
            long uid = in.nonNegative("UID");
            in.endArray();
            return new ProgressEntry(state, folder, uidValidity, uid);
        }, ProgressEntry::encode);
    }
}
