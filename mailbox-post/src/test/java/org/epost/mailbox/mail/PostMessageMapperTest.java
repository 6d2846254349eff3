package org.epost.mailbox.mail;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageMapperTest;
import org.apache.james.utils.UpdatableTickingClock;

/** James's MessageMapper contract against the ePOST backend. */
class PostMessageMapperTest extends MessageMapperTest {
    private final PostMapperProvider provider = new PostMapperProvider();

    @Override
    protected MapperProvider createMapperProvider() {
        return provider;
    }

    @Override
    protected UpdatableTickingClock updatableTickingClock() {
        return provider.clock();
    }
}
