package org.epost.post.log;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A keyed-map reducer for tests: type 1 adds 1 to the counter of the key in the body, type 2 deletes the key; the
 * state also counts every record and sums their sequence numbers (so a replay that skips, repeats or reorders
 * records is visible).
 */
final class KeyedCountReducer implements LogReducer<KeyedCountReducer.State> {
    static final int INCREMENT = 1;
    static final int DELETE = 2;

    static final class State {
        final TreeMap<String, Long> counters = new TreeMap<>();
        long records;
        long seqSum;

        @Override
        public boolean equals(Object o) {
            return o instanceof State other && counters.equals(other.counters) && records == other.records
                && seqSum == other.seqSum;
        }

        @Override
        public int hashCode() {
            return counters.hashCode();
        }

        @Override
        public String toString() {
            return "State(" + records + " records, " + counters.size() + " keys, seqSum " + seqSum + ")";
        }
    }

    static LogEntry increment(String key) {
        return new LogEntry(INCREMENT, key.getBytes(StandardCharsets.UTF_8));
    }

    static LogEntry delete(String key) {
        return new LogEntry(DELETE, key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public State initial() {
        return new State();
    }

    @Override
    public State reduce(State state, LogRecord record) {
        String key = new String(record.body(), StandardCharsets.UTF_8);
        switch (record.type()) {
            case INCREMENT -> state.counters.merge(key, 1L, Long::sum);
            case DELETE -> state.counters.remove(key);
            default -> throw new IllegalArgumentException("unknown record type " + record.type());
        }
        state.records++;
        state.seqSum += record.seq();
        return state;
    }

    @Override
    public byte[] encode(State state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(20).putLong(state.records).putLong(state.seqSum).putInt(state.counters.size()).array());
        for (Map.Entry<String, Long> entry : state.counters.entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(key.length).array());
            out.writeBytes(key);
            out.writeBytes(ByteBuffer.allocate(8).putLong(entry.getValue()).array());
        }
        return out.toByteArray();
    }

    @Override
    public State decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        State state = new State();
        state.records = in.getLong();
        state.seqSum = in.getLong();
        int n = in.getInt();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[in.getInt()];
            in.get(key);
            state.counters.put(new String(key, StandardCharsets.UTF_8), in.getLong());
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes");
        }
        return state;
    }
}
