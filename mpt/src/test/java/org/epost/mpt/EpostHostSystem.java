package org.epost.mpt;

import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.imap.encode.main.DefaultImapEncoderFactory;
import org.apache.james.imap.main.DefaultImapDecoderFactory;
import org.apache.james.imap.processor.main.DefaultImapProcessorFactory;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.StoreSubscriptionManager;
import org.apache.james.metrics.logger.DefaultMetricFactory;
import org.apache.james.mpt.api.ImapFeatures;
import org.apache.james.mpt.api.ImapFeatures.Feature;
import org.apache.james.mpt.host.JamesImapHostSystem;

/**
 * James's IMAP processor (decoder, processors, encoder: exactly what James's IMAP server runs) over an ePOST mailbox
 * manager, one fresh mailbox store per test. The features declared are those the backend supports; a suite part that
 * needs an undeclared feature is skipped by James's suite itself.
 */
final class EpostHostSystem extends JamesImapHostSystem {
    private static final ImapFeatures SUPPORTED_FEATURES = ImapFeatures.of(Feature.NAMESPACE_SUPPORT,
        Feature.MOVE_SUPPORT, Feature.USER_FLAGS_SUPPORT, Feature.QUOTA_SUPPORT, Feature.ANNOTATION_SUPPORT,
        Feature.MOD_SEQ_SEARCH);

    private StoreMailboxManager mailboxManager;
    private MaxQuotaManager maxQuotaManager;

    /** A host system ready for a test (James's suites call {@code createImapHostSystem} from their own setUp). */
    static EpostHostSystem started() {
        EpostHostSystem system = new EpostHostSystem();
        try {
            system.beforeTest();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the ePOST IMAP host system", e);
        }
        return system;
    }

    @Override
    public void beforeTest() throws Exception {
        super.beforeTest();
        MailboxUnderTest mailbox = MailboxUnderTest.create(authenticator, authorizator);
        mailboxManager = mailbox.mailboxManager();
        maxQuotaManager = mailbox.maxQuotaManager();
        configure(new DefaultImapDecoderFactory().buildImapDecoder(),
            new DefaultImapEncoderFactory().buildImapEncoder(),
            DefaultImapProcessorFactory.createDefaultProcessor(mailboxManager, mailboxManager.getEventBus(),
                new StoreSubscriptionManager(mailboxManager.getMapperFactory(), mailboxManager.getMapperFactory(),
                    mailboxManager.getEventBus()),
                mailboxManager.getQuotaComponents().getQuotaManager(),
                mailboxManager.getQuotaComponents().getQuotaRootResolver(), new DefaultMetricFactory()));
    }

    @Override
    protected MailboxManager getMailboxManager() {
        return mailboxManager;
    }

    @Override
    public boolean supports(Feature... features) {
        return SUPPORTED_FEATURES.supports(features);
    }

    @Override
    public void setQuotaLimits(QuotaCountLimit maxMessageQuota, QuotaSizeLimit maxStorageQuota) throws Exception {
        maxQuotaManager.setGlobalMaxMessage(maxMessageQuota);
        maxQuotaManager.setGlobalMaxStorage(maxStorageQuota);
    }

    @Override
    protected void await() {
        // the event bus is synchronous in-VM: nothing to wait for
    }

}
