package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.post.log.LogRecord;
import org.junit.jupiter.api.Test;

/** Values modules above keep in a user's account log: records, state, strict and canonical decoding. */
class ExtensionRecordsTest {
    private final AccountReducer reducer = AccountReducer.INSTANCE;
    private long seq;

    private AccountState apply(AccountState state, AccountRecord record) {
        LogRecord logged = new LogRecord(seq++, record.type(), record.encode());
        assertThat(AccountRecord.decode(logged)).isEqualTo(record);
        return reducer.reduce(state, logged);
    }

    @Test
    void aValueIsSetReplacedAndRemoved() {
        AccountState state = apply(reducer.initial(), new AccountRecord.ExtensionSet("spam/blocked", new byte[] {1, 2}));
        assertThat(state.extension("spam/blocked")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
        state = apply(state, new AccountRecord.ExtensionSet("spam/blocked", new byte[] {3}));
        assertThat(state.extension("spam/blocked")).hasValueSatisfying(v -> assertThat(v).containsExactly(3));
        assertThat(state.extension("other")).isEmpty();
        state = apply(state, new AccountRecord.ExtensionRemoved("spam/blocked"));
        assertThat(state.extension("spam/blocked")).isEmpty();
    }

    @Test
    void theRecordsHaveOneEncoding() {
        // [1, ["k", h'0102']]
        assertThat(new AccountRecord.ExtensionSet("k", new byte[] {1, 2}).encode())
            .containsExactly(0x82, 0x01, 0x82, 0x61, 'k', 0x42, 0x01, 0x02);
        assertThat(new AccountRecord.ExtensionRemoved("k").encode()).containsExactly(0x82, 0x01, 0x81, 0x61, 'k');
    }

    @Test
    void malformedRecordsAndContradictionsAreRejected() {
        assertThatThrownBy(() -> AccountRecord.decode(new LogRecord(1, AccountRecord.EXTENSION_SET,
            new byte[] {(byte) 0x82, 0x01, (byte) 0x82, 0x61, 'k', 0x61, 'v'})))
            .isInstanceOf(RecordFormatException.class);
        AccountRecord removed = new AccountRecord.ExtensionRemoved("k");
        assertThatThrownBy(() -> reducer.reduce(reducer.initial(), new LogRecord(7, removed.type(), removed.encode())))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("record 7").hasMessageContaining("not set");
        assertThatThrownBy(() -> new AccountRecord.ExtensionSet("k", new byte[AccountRecord.MAX_EXTENSION_BYTES + 1]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStateKeepsItsValuesAndWithoutThemKeepsItsFormerEncoding() {
        byte[] without = reducer.encode(reducer.initial());
        AccountState state = apply(reducer.initial(), new AccountRecord.ExtensionSet("k", new byte[] {9}));
        byte[] with = reducer.encode(state);
        // [1, [[], [], [], [], [], [["k", h'09']]]]: the empty limit list written before the values
        assertThat(with).containsExactly(0x82, 0x01, 0x86, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x82, 0x61, 'k', 0x41,
            0x09);
        assertThat(reducer.decode(with).extension("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(9));
        assertThat(reducer.encode(apply(state, new AccountRecord.ExtensionRemoved("k")))).isEqualTo(without);
        // an empty value list is not canonical
        assertThatThrownBy(() -> reducer.decode(new byte[] {(byte) 0x82, 0x01, (byte) 0x86, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("canonical");
    }
}
