package org.epost.mailbox.model;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.post.log.LogRecord;
import org.epost.post.log.LogReducer;

/**
 * Folds an account log's records into its {@link AccountState}; a record that does not decode or contradicts the
 * state throws, so the account is not opened on a bad log. Never changes the state it is given: readers hold the
 * account's last durable state while the writer reduces the next. Stateless; one instance serves every account.
 */
public final class AccountReducer implements LogReducer<AccountState> {
    public static final AccountReducer INSTANCE = new AccountReducer();

    private AccountReducer() {
    }

    @Override
    public AccountState initial() {
        return new AccountState();
    }

    @Override
    public AccountState reduce(AccountState state, LogRecord record) {
        return state.apply(AccountRecord.decode(record), record.seq());
    }

    @Override
    public byte[] encode(AccountState state) {
        return state.encode();
    }

    @Override
    public AccountState decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "account state", RecordFormatException.FAILURES,
                in -> in.envelope(AccountState.FORMAT_VERSION, "account state", AccountState::read),
                AccountState::encode);
    }

    /** States are never changed in place: a cached view of one is encoded on the store's thread. */
    @Override
    public boolean keepsStates() {
        return true;
    }
}
