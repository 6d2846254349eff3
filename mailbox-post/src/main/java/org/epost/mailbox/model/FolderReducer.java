package org.epost.mailbox.model;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.post.log.LogRecord;
import org.epost.post.log.LogReducer;

/**
 * Folds a folder log's records into its {@link FolderState}. A record that does not decode, or that contradicts the
 * state (adding a UID in use, changing a message that is not there), throws: such a log is not opened, so a bad log
 * is noticed instead of silently dropping messages. Stateless; one instance serves every folder.
 */
public final class FolderReducer implements LogReducer<FolderState> {
    public static final FolderReducer INSTANCE = new FolderReducer();

    private FolderReducer() {
    }

    @Override
    public FolderState initial() {
        return new FolderState();
    }

    @Override
    public FolderState reduce(FolderState state, LogRecord record) {
        state.apply(FolderRecord.decode(record), record.seq());
        return state;
    }

    @Override
    public byte[] encode(FolderState state) {
        return state.encode();
    }

    @Override
    public FolderState decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "folder state", RecordFormatException.FAILURES,
                in -> in.envelope(FolderState.FORMAT_VERSION, "folder state", FolderState::read),
                FolderState::encode);
    }
}
