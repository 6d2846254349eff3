package org.epost.mailbox.mail;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageIdMapperTest;
import org.apache.james.utils.UpdatableTickingClock;

/** James's MessageIdMapper contract against the ePOST backend. */
class PostMessageIdMapperTest extends MessageIdMapperTest {
    private final PostMapperProvider provider = new PostMapperProvider();

    @Override
    protected MapperProvider provideMapper() {
        return provider;
    }

    @Override
    protected UpdatableTickingClock updatableTickingClock() {
        return provider.clock();
    }
}
