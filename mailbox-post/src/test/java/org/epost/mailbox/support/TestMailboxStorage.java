package org.epost.mailbox.support;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Username;
import org.epost.mailbox.mail.MimeStructureIndexer;
import org.epost.mailbox.storage.PostMailboxStorage;
import org.epost.mailbox.storage.UserStorage;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.BlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.log.LogViewStore;
import org.epost.post.message.MessageStore;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.message.StructureIndexer;
import org.epost.post.message.WholeMessageStore;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;

/**
 * A {@link PostMailboxStorage} for tests: every user has an account (keys made on first use and kept), all logs and
 * contents in one block service. {@link #withViews} gives the same accounts and DHT with another local view store: a
 * restarted peer; {@link #takingOverWriters} one restarted after a crash.
 */
public final class TestMailboxStorage implements PostMailboxStorage {
    public static final int TEST_LEAF_THRESHOLD = 100;

    private final Map<Username, UserKeys> keys;
    private final BlockService blocks;
    private final LogViewStore views;
    private final MessageStore messages;
    private final LogConfig config;
    private final boolean takeOver;

    public TestMailboxStorage(BlockService blocks, LogViewStore views, MessageStore messages, LogConfig config) {
        this(new ConcurrentHashMap<>(), blocks, views, messages, config, false);
    }

    private TestMailboxStorage(Map<Username, UserKeys> keys, BlockService blocks, LogViewStore views,
                               MessageStore messages, LogConfig config, boolean takeOver) {
        this.keys = keys;
        this.blocks = blocks;
        this.views = views;
        this.messages = messages;
        this.config = config;
        this.takeOver = takeOver;
    }

    /**
     * Everything in memory, default log settings; messages split as on a peer but at a tiny leaf threshold, so that
     * James's contracts and IMAP suites read contents segment by segment, parts fetched as reached, and MIME
     * structures from skeletons.
     */
    public static TestMailboxStorage inMemory() {
        InMemoryBlockService dht = new InMemoryBlockService();
        return new TestMailboxStorage(dht, new InMemoryLogViewStore(), splitMessages(dht), LogConfig.defaults());
    }

    /** Leaf bodies (and inline runs) of at least {@value #TEST_LEAF_THRESHOLD} bytes stored as parts of their own. */
    public static MessageStore splitMessages(BlockService blocks) {
        return splitMessages(blocks, TEST_LEAF_THRESHOLD, new MimeStructureIndexer());
    }

    /** Messages split as on a peer, at {@code leafThreshold}, skeletons described by {@code indexer}. */
    public static MessageStore splitMessages(BlockService blocks, int leafThreshold, StructureIndexer indexer) {
        return new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())),
            MimeMessageStore.Config.defaults().withLeafThreshold(leafThreshold), indexer);
    }

    /** Each message one part, no skeleton: the fewest blocks, for tests that count them. */
    public static MessageStore wholeMessages(BlockService blocks) {
        return new WholeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())));
    }

    public TestMailboxStorage withViews(LogViewStore newViews) {
        return new TestMailboxStorage(keys, blocks, newViews, messages, config, takeOver);
    }

    /** The same accounts as the home peer restarted after a crash: it takes its own logs over at first open. */
    public TestMailboxStorage takingOverWriters() {
        return new TestMailboxStorage(keys, blocks, views, messages, config, true);
    }

    public UserKeys keysOf(Username user) {
        return keys.computeIfAbsent(user, any -> UserKeys.generate());
    }

    @Override
    public Optional<UserStorage> forUser(Username user) {
        return Optional.of(new UserStorage(keysOf(user), blocks, views, messages, config, takeOver));
    }

    @Override
    public Set<Username> users() {
        return Set.copyOf(keys.keySet());
    }
}
