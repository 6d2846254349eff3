package org.epost.mailbox.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.post.log.LogRecord;
import org.junit.jupiter.api.Test;

/** A user's quota limits in the account log: records, the state they fold into, strict and canonical decoding. */
class QuotaLimitRecordsTest {
    private final AccountReducer reducer = AccountReducer.INSTANCE;
    private long seq;

    private AccountState apply(AccountState state, AccountRecord record) {
        LogRecord logged = new LogRecord(seq++, record.type(), record.encode());
        assertThat(AccountRecord.decode(logged)).isEqualTo(record);
        return reducer.reduce(state, logged);
    }

    @Test
    void aLimitIsSetReplacedMadeUnlimitedAndRemoved() {
        AccountState state = apply(reducer.initial(),
            new AccountRecord.QuotaLimitSet(QuotaResource.STORAGE, QuotaLimit.of(1000)));
        state = apply(state, new AccountRecord.QuotaLimitSet(QuotaResource.MESSAGES, QuotaLimit.of(0)));
        assertThat(state.quotaLimit(QuotaResource.STORAGE)).contains(QuotaLimit.of(1000));
        assertThat(state.quotaLimit(QuotaResource.MESSAGES)).contains(QuotaLimit.of(0));

        state = apply(state, new AccountRecord.QuotaLimitSet(QuotaResource.STORAGE, QuotaLimit.unlimited()));
        assertThat(state.quotaLimit(QuotaResource.STORAGE)).contains(QuotaLimit.unlimited());

        state = apply(state, new AccountRecord.QuotaLimitRemoved(QuotaResource.MESSAGES));
        assertThat(state.quotaLimit(QuotaResource.MESSAGES)).isEmpty();
        assertThat(state.quotaLimit(QuotaResource.STORAGE)).contains(QuotaLimit.unlimited());
    }

    @Test
    void theRecordsHaveOneEncoding() {
        // [format version 1, [1 (storage), [1000]]]
        assertThat(new AccountRecord.QuotaLimitSet(QuotaResource.STORAGE, QuotaLimit.of(1000)).encode())
            .containsExactly(0x82, 0x01, 0x82, 0x01, 0x81, 0x19, 0x03, 0xe8);
        // [0 (messages), []]: unlimited
        assertThat(new AccountRecord.QuotaLimitSet(QuotaResource.MESSAGES, QuotaLimit.unlimited()).encode())
            .containsExactly(0x82, 0x01, 0x82, 0x00, 0x80);
        assertThat(new AccountRecord.QuotaLimitRemoved(QuotaResource.STORAGE).encode())
            .containsExactly(0x82, 0x01, 0x81, 0x01);
    }

    @Test
    void malformedLimitRecordsAreRejected() {
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x01, 0x82, 0x07, 0x80))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("unknown quota resource 7");
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x01, 0x82, 0x00, 0x81, 0x20))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x01, 0x82, 0x00, 0x82, 0x01, 0x02))
            .isInstanceOf(RecordFormatException.class);
        // 1000 written in eight bytes
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x01, 0x82, 0x01, 0x81, 0x1b, 0, 0, 0, 0, 0,
            0, 0x03, 0xe8)).isInstanceOf(RecordFormatException.class).hasMessageContaining("canonical");
        // another format version; no version at all
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x02, 0x82, 0x01, 0x81, 0x19, 0x03, 0xe8))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_SET, 0x82, 0x01, 0x81, 0x19, 0x03, 0xe8))
            .isInstanceOf(RecordFormatException.class);
        assertThatThrownBy(() -> decode(AccountRecord.QUOTA_LIMIT_REMOVED, 0x82, 0x01, 0x81, 0x05))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("unknown quota resource 5");
    }

    @Test
    void removingALimitThatIsNotSetContradictsTheState() {
        AccountState state = reducer.initial();
        AccountRecord removed = new AccountRecord.QuotaLimitRemoved(QuotaResource.STORAGE);

        assertThatThrownBy(() -> reducer.reduce(state, new LogRecord(4, removed.type(), removed.encode())))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("record 4").hasMessageContaining("not set");
    }

    @Test
    void theStateKeepsItsLimitsAndAnAccountWithoutLimitsKeepsItsFormerEncoding() {
        byte[] withoutLimits = reducer.encode(reducer.initial());
        assertThat(withoutLimits).containsExactly(0x82, 0x01, 0x84, 0x80, 0x80, 0x80, 0x80);

        AccountState state = apply(reducer.initial(),
            new AccountRecord.QuotaLimitSet(QuotaResource.STORAGE, QuotaLimit.of(5)));
        state = apply(state, new AccountRecord.QuotaLimitSet(QuotaResource.MESSAGES, QuotaLimit.unlimited()));
        byte[] withLimits = reducer.encode(state);
        // [1, [..., [[0, []], [1, [5]]]]]
        assertThat(withLimits).containsExactly(0x82, 0x01, 0x85, 0x80, 0x80, 0x80, 0x80, 0x82, 0x82, 0x00, 0x80, 0x82,
            0x01, 0x81, 0x05);

        AccountState decoded = reducer.decode(withLimits);
        assertThat(decoded.quotaLimit(QuotaResource.STORAGE)).contains(QuotaLimit.of(5));
        assertThat(decoded.quotaLimit(QuotaResource.MESSAGES)).contains(QuotaLimit.unlimited());

        AccountState removedAgain = apply(apply(decoded, new AccountRecord.QuotaLimitRemoved(QuotaResource.STORAGE)),
            new AccountRecord.QuotaLimitRemoved(QuotaResource.MESSAGES));
        assertThat(reducer.encode(removedAgain)).isEqualTo(withoutLimits);
    }

    @Test
    void aStateWithAnEmptyOrUnsortedOrRepeatedLimitListIsRejected() {
        assertThatThrownBy(() -> decodeState(0x82, 0x01, 0x85, 0x80, 0x80, 0x80, 0x80, 0x80))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> decodeState(0x82, 0x01, 0x85, 0x80, 0x80, 0x80, 0x80, 0x82, 0x82, 0x01, 0x80, 0x82,
            0x00, 0x80))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> decodeState(0x82, 0x01, 0x85, 0x80, 0x80, 0x80, 0x80, 0x82, 0x82, 0x01, 0x80, 0x82,
            0x01, 0x80))
            .isInstanceOf(RecordFormatException.class).hasMessageContaining("two STORAGE quota limits");
    }

    @Test
    void aLimitIsZeroOrMore() {
        assertThatThrownBy(() -> QuotaLimit.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(QuotaLimit.of(0).max()).hasValue(0);
        assertThat(QuotaLimit.unlimited().max()).isEmpty();
    }

    private static AccountRecord decode(int type, int... bytes) {
        return AccountRecord.decode(new LogRecord(0, type, toBytes(bytes)));
    }

    private AccountState decodeState(int... bytes) {
        return reducer.decode(toBytes(bytes));
    }

    private static byte[] toBytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
