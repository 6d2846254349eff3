package org.epost.mailbox.quota;

import java.nio.file.Path;

import org.apache.james.core.Username;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.quota.GenericMaxQuotaManagerTest;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.support.TestMailboxStorage;
import org.junit.jupiter.api.io.TempDir;

/**
 * James's max quota contract on the durable manager: the user's limits in a real account log (in an in-memory DHT),
 * the global and domain limits in a real file. The contract names its quota root by the bare user address
 * ({@code benwa@domain}) rather than James's {@code #private&benwa@domain}, so the root's owner is read that way here.
 */
class PostGenericMaxQuotaManagerTest extends GenericMaxQuotaManagerTest {
    @TempDir
    Path dataDirectory;

    @Override
    protected MaxQuotaManager provideMaxQuotaManager() {
        return new PostMaxQuotaManager(new MailboxRegistry(TestMailboxStorage.inMemory()),
            root -> Username.of(root.getValue()),
            new JsonFileQuotaLimitStore(dataDirectory.resolve("quota/limits.json")));
    }
}
