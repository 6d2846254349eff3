package org.epost.mailbox.model;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.post.log.LogRecord;
import org.epost.post.log.LogReducer;
import org.epost.post.log.StateBody;

/**
 * Folds a folder log's records into its {@link FolderState}. A record that does not decode, or that contradicts the
 * state (adding a UID in use, changing a message that is not there), throws: such a log is not opened, so a bad log
 * is noticed instead of silently dropping messages. Never changes the state it is given (a new state shares the
 * untouched messages with it): readers hold the folder's last durable state while the writer reduces the next.
 * Stateless; one instance serves every folder.
 */
public final class FolderReducer implements LogReducer<FolderState> {
    public static final FolderReducer INSTANCE = new FolderReducer();

    private FolderReducer() {
    }

    @Override
    public FolderState initial() {
        return FolderState.empty();
    }

    @Override
    public FolderState reduce(FolderState state, LogRecord record) {
        return state.apply(FolderRecord.decode(record), record.seq());
    }

    @Override
    public byte[] encode(FolderState state) {
        return FolderStateCodec.encode(state);
    }

    @Override
    public FolderState decode(byte[] bytes) {
        if (bytes != null && bytes.length > 1 && bytes[1] == FolderStateCodec.FORMAT_VERSION_1) {
            // [1, ...]: written before version 2 (a snapshot, or a view not saved since)
            return CborRecordReader.decodeCanonical(bytes, "folder state", RecordFormatException.FAILURES,
                in -> in.envelope(FolderStateCodec.FORMAT_VERSION_1, "folder state", FolderStateCodec::readVersion1),
                FolderStateCodec::encodeVersion1);
        }
        return CborRecordReader.decodeCanonical(bytes, "folder state", RecordFormatException.FAILURES,
                in -> in.envelope(FolderStateCodec.FORMAT_VERSION, "folder state", FolderStateCodec::read),
                FolderStateCodec::encode);
    }

    @Override
    public LogReducer.Parts encodeParts(FolderState state) {
        return FolderStateCodec.encodeParts(state);
    }

    @Override
    public FolderState decodeParts(byte[] head, StateBody body) {
        return FolderStateCodec.decodeParts(head, body);
    }

    /** States are never changed in place: a cached view of one is encoded on the store's thread. */
    @Override
    public boolean keepsStates() {
        return true;
    }
}
