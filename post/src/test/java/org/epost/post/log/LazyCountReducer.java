package org.epost.post.log;

/**
 * {@link KeyedCountReducer} whose cached view keeps the whole state in its body, decoded when first asked for: a
 * state that reads its body lazily, as a folder's does, for the tests of segmented views.
 */
final class LazyCountReducer implements LogReducer<LazyCountReducer.Lazy> {
    private static final KeyedCountReducer INNER = new KeyedCountReducer();

    static final class Lazy {
        private StateBody body;
        private KeyedCountReducer.State state;

        Lazy(StateBody body) {
            this.body = body;
        }

        Lazy(KeyedCountReducer.State state) {
            this.state = state;
        }

        /** The state, read from the body on first use (where a broken segment of a cached view shows). */
        KeyedCountReducer.State get() {
            if (state == null) {
                state = INNER.decode(body.read(0, body.length()));
                body = null;
            }
            return state;
        }
    }

    @Override
    public Lazy initial() {
        return new Lazy(INNER.initial());
    }

    @Override
    public Lazy reduce(Lazy state, LogRecord record) {
        return new Lazy(INNER.reduce(state.get(), record));
    }

    @Override
    public byte[] encode(Lazy state) {
        return INNER.encode(state.get());
    }

    @Override
    public Lazy decode(byte[] bytes) {
        return new Lazy(INNER.decode(bytes));
    }

    @Override
    public Parts encodeParts(Lazy state) {
        return new Parts(new byte[] {1}, encode(state));
    }

    @Override
    public Lazy decodeParts(byte[] head, StateBody body) {
        if (head.length != 1 || head[0] != 1) {
            throw new IllegalArgumentException("not a head of this reducer");
        }
        return new Lazy(body);
    }
}
