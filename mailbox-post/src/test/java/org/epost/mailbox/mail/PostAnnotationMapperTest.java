package org.epost.mailbox.mail;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.apache.james.mailbox.store.mail.model.AnnotationMapperTest;

/** James's AnnotationMapper contract against the ePOST backend (annotations live with an existing folder). */
class PostAnnotationMapperTest extends AnnotationMapperTest {
    private final PostMapperProvider provider = new PostMapperProvider();

    @Override
    protected AnnotationMapper createAnnotationMapper() {
        return provider.factory().createAnnotationMapper(null);
    }

    @Override
    protected MailboxId generateMailboxId() {
        return provider.createMailboxMapper()
            .create(MailboxPath.forUser(Username.of("benwa"), "annotated"), UidValidity.of(42))
            .block()
            .getMailboxId();
    }
}
