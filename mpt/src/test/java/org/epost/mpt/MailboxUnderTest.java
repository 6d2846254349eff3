package org.epost.mpt;

import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.epost.mailbox.PostIntegrationResources;

/**
 * The mailbox manager the suites run against: the ePOST backend (folder and account logs, message store) over an
 * in-memory block service, with James's in-VM event bus and store quota manager, as a peer composes it.
 */
record MailboxUnderTest(StoreMailboxManager mailboxManager, MaxQuotaManager maxQuotaManager) {
    static MailboxUnderTest create(Authenticator authenticator, Authorizator authorizator) {
        PostIntegrationResources resources = PostIntegrationResources.builder()
            .authenticator(authenticator)
            .authorizator(authorizator)
            .build();
        return new MailboxUnderTest(resources.getMailboxManager(), resources.getMaxQuotaManager());
    }
}
