package org.epost.mpt;

import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.StoreMailboxManager;

/** The mailbox manager the suites run against. PROBE: James's memory backend, until the ePOST backend is merged. */
record MailboxUnderTest(StoreMailboxManager mailboxManager, MaxQuotaManager maxQuotaManager) {
    static MailboxUnderTest create(Authenticator authenticator, Authorizator authorizator) {
        InMemoryIntegrationResources resources = InMemoryIntegrationResources.builder()
            .authenticator(authenticator).authorizator(authorizator).inVmEventBus().defaultAnnotationLimits()
            .defaultMessageParser().scanningSearchIndex().noPreDeletionHooks().storeQuotaManager().build();
        return new MailboxUnderTest(resources.getMailboxManager(), resources.getMaxQuotaManager());
    }
}
