package org.epost.mailbox;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxManagerStressContract;
import org.apache.james.mailbox.extension.PreDeletionHook;
import org.junit.jupiter.api.BeforeEach;

/** James's concurrent-append contract (distinct, gap-free UIDs under many threads) against the ePOST backend. */
class PostMailboxManagerStressTest implements MailboxManagerStressContract<PostMailboxManager> {
    private PostMailboxManager manager;

    @BeforeEach
    void setUp() {
        manager = PostIntegrationResources.builder()
            .preDeletionHooks(PreDeletionHook.NO_PRE_DELETION_HOOK)
            .build()
            .getMailboxManager();
    }

    @Override
    public PostMailboxManager getManager() {
        return manager;
    }

    @Override
    public EventBus retrieveEventBus() {
        return manager.getEventBus();
    }
}
