package org.epost.overlay.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntToLongFunction;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.Simulation.SimNode;
import org.epost.overlay.sim.Simulation;

/**
 * A simulated ring with PAST on every node, for the tests of the overlay and of the modules built on PAST (published
 * in the overlay's test-jar). Each node has an in-memory store behind a {@link TamperingBlockStore}, so a test can
 * corrupt a node's disk or slow its syncs; the ring is built the way {@link Simulation} builds its rings and is run
 * in virtual time only. Everything, keys included, follows from the seed, so a run replays exactly.
 *
 * <p>Faults beyond a bad disk are played on the simulated network, never by switches in PAST itself:
 * {@link #serveUnverified} makes a holder hand out its copies unchecked, and {@link #intercept} lets a test rewrite
 * or swallow any message as it arrives (a client that skips its own checks, a corrupting link).
 */
public final class PastRing {
    public static final long DAY = 86_400_000L;
    /** The lease the tests give their blocks unless they test leases: 30 days. */
    public static final long LEASE = 30 * DAY;
    /** k: replicas of every block under {@link #testConfig()}. */
    public static final int K = testConfig().replicas();
    /** How long {@link #await} and {@link #settle} let virtual time run at most: 10 minutes. */
    private static final long PATIENCE_MILLIS = 10 * 60_000;

    /** More applications on a node of the ring, started as the node is created, once its PAST is up. */
    @FunctionalInterface
    public interface NodeExtension {
        /** @param ring the ring being built: its scheduler, verifier and stores are there, its nodes not all yet */
        void extend(PastRing ring, SimNode node, Past past);
    }

    private final Simulation sim;
    private final SimScheduler scheduler;
    private final Random random;
    private final KeyPair ca;
    private final BlockVerifier verifier;
    private final PastConfig config;
    private final Map<Id, Past> pasts = new LinkedHashMap<>();
    private final Map<Id, TamperingBlockStore> stores = new LinkedHashMap<>();
    private final Map<Id, SimNode> nodes = new LinkedHashMap<>();
    private final UncheckedHolders unchecked;
    private SimNetwork.Interceptor interceptor = SimNetwork.Interceptor.NONE;
    private final List<KeyPair> owners = new ArrayList<>();
    private final SecureRandom keyRandom;
    private int created;

    /**
     * Builds the ring and waits until every leaf set is right.
     *
     * @param quota quota in bytes of the i-th node created
     */
    public PastRing(int nodeCount, long seed, PastConfig config, IntToLongFunction quota) {
        this(nodeCount, seed, config, quota, (ring, node, past) -> { });
    }

    /**
     * Builds the ring and waits until every leaf set is right; {@code extension} runs on every node as it is created
     * (those of the ring and any added later through {@link #sim()}), once its PAST is up, for the modules that run
     * more applications on each node.
     *
     * @param quota quota in bytes of the i-th node created
     */
    public PastRing(int nodeCount, long seed, PastConfig config, IntToLongFunction quota,
                    NodeExtension extension) {
        this.sim = new Simulation(Simulation.Settings.of(nodeCount, seed));
        this.scheduler = sim.scheduler();
        this.random = new Random(seed ^ 0x5deece66dL);
        this.config = config;
        this.keyRandom = seededSecureRandom(seed);
        this.ca = ed25519();
        this.verifier = new BlockVerifier(ca.getPublic(), scheduler, BlockLimits.DEFAULT, 60_000);
        this.unchecked = new UncheckedHolders(nodes, stores, config);
        sim.setNodeSetup(node -> {
            TamperingBlockStore store = new TamperingBlockStore(new InMemoryBlockStore(verifier, scheduler,
                    StoreConfig.withQuota(quota.applyAsLong(created++))));
            nodes.put(node.id(), node);
            stores.put(node.id(), store);
            Past past = new Past(node.node(), store, verifier, node.transport().scheduler(), config,
                    new Random(seed * 31 + created));
            pasts.put(node.id(), past);
            extension.extend(this, node, past);
        });
        // The unchecked holders answer first; what they let through meets the test's own interceptor.
        sim.network().setInterceptor((from, to, message) -> {
            Object passed = unchecked.intercept(from, to, message);
            return passed == null ? null : interceptor.intercept(from, to, passed);
        });
        for (int i = 0; i < 8; i++) {
            owners.add(ed25519());
        }
        sim.buildRing();
        if (!sim.awaitLeafSetsCorrect(10 * 60_000)) {
            throw new AssertionError("leaf sets did not settle within 10 virtual minutes");
        }
    }

    /** Every node with a quota of 1 GiB. */
    public PastRing(int nodeCount, long seed, PastConfig config) {
        this(nodeCount, seed, config, i -> 1L << 30);
    }

    /** Every node with a quota of 1 GiB, under {@link #testConfig()}. */
    public PastRing(int nodeCount, long seed) {
        this(nodeCount, seed, testConfig());
    }

    /** PAST's defaults with maintenance every 5 virtual minutes. */
    public static PastConfig testConfig() {
        return PastConfig.defaults().withMaintenanceIntervalMillis(5 * 60_000);
    }

    // ---------------------------------------------------------------- the ring

    public Simulation sim() {
        return sim;
    }

    /** The ring's virtual-time scheduler (also its clock), for jobs that run beside the nodes. */
    public SimScheduler scheduler() {
        return scheduler;
    }

    /** The verifier every node and store uses. */
    public BlockVerifier verifier() {
        return verifier;
    }

    /** The Ed25519 key every node's verifier trusts for certificate blocks. */
    public KeyPair certificateAuthority() {
        return ca;
    }

    public PastConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- nodes

    /** PAST of every node ever created, in creation order, crashed ones included. */
    public Collection<Past> pasts() {
        return Collections.unmodifiableCollection(pasts.values());
    }

    /** The store of every node ever created, in creation order. */
    public Collection<TamperingBlockStore> stores() {
        return Collections.unmodifiableCollection(stores.values());
    }

    public List<Past> live() {
        List<Past> live = new ArrayList<>();
        for (SimNode node : sim.liveNodes()) {
            live.add(pasts.get(node.id()));
        }
        return live;
    }

    /** A live node drawn from the ring's seeded random. */
    public Past randomLive() {
        List<Past> live = live();
        return live.get(random.nextInt(live.size()));
    }

    /** The live nodes, closest to {@code handle} first. */
    public List<Past> closest(Id handle) {
        List<Past> live = live();
        live.sort((a, b) -> {
            int c = handle.compareDistances(a.localHandle().id(), b.localHandle().id());
            return c != 0 ? c : a.localHandle().id().compareTo(b.localHandle().id());
        });
        return live;
    }

    /** Live nodes whose store holds {@code key}. */
    public List<Past> holders(BlockKey key) {
        List<Past> holders = new ArrayList<>();
        for (Past past : live()) {
            if (past.store().contains(key)) {
                holders.add(past);
            }
        }
        return holders;
    }

    /** Whether each of {@code blocks} is held by exactly {@code k} live nodes. */
    public boolean allAtReplicas(List<? extends Block> blocks, int k) {
        for (Block block : blocks) {
            if (holders(block.key()).size() != k) {
                return false;
            }
        }
        return true;
    }

    public TamperingBlockStore storeOf(Past past) {
        return stores.get(past.localHandle().id());
    }

    /** Bytes accounted by every node's block store (each block's encoding plus the store's per-entry overhead). */
    public long storedBytes() {
        return stores.values().stream().mapToLong(TamperingBlockStore::usedBytes).sum();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Makes {@code holder} hand out its stored copies without checking them, as a faulty or malicious holder would
     * (or stop). Its lookups and fetches are answered in its name by the network, from its store's raw bytes; see
     * {@link UncheckedHolders}. Only requests from other nodes cross the network: read through another node.
     */
    public void serveUnverified(Past holder, boolean value) {
        unchecked.set(holder, value);
    }

    /** Lookups and fetches answered unchecked so far by the holders under {@link #serveUnverified}. */
    public long servedUnverified() {
        return unchecked.served();
    }

    /**
     * Every message arriving at a node goes through {@code interceptor} first (after the unchecked holders); see
     * {@link SimNetwork.Interceptor}. {@link SimNetwork.Interceptor#NONE} to stop.
     */
    public void intercept(SimNetwork.Interceptor interceptor) {
        this.interceptor = interceptor == null ? SimNetwork.Interceptor.NONE : interceptor;
    }

    /** Makes every holder of {@code current} hold {@code older} instead, as colluding holders rolling it back would. */
    public int rollBack(Block current, Block older, long leaseExpiry) {
        int rolledBack = 0;
        for (Past past : holders(current.key())) {
            TamperingBlockStore store = storeOf(past);
            store.delete(current.key());
            if (store.put(older.handle(), older.encoded(), leaseExpiry).isStored()) {
                rolledBack++;
            }
        }
        return rolledBack;
    }

    // ---------------------------------------------------------------- time

    public long now() {
        return scheduler.now();
    }

    public void runFor(long virtualMillis) {
        scheduler.runFor(virtualMillis);
    }

    /** Runs the simulation until {@code future} completes (at most 10 virtual minutes) and answers its value. */
    public <T> T await(CompletableFuture<T> future) {
        if (!settle(future)) {
            throw new AssertionError("not done within 10 virtual minutes");
        }
        return future.join();
    }

    /** Runs the simulation until {@code future} completes, at most 10 virtual minutes; whether it did. */
    public boolean settle(CompletableFuture<?> future) {
        return scheduler.runUntil(future::isDone, scheduler.now() + PATIENCE_MILLIS);
    }

    /**
     * Runs the simulation until {@code future} completes (at most 10 virtual minutes) and answers it, done, perhaps
     * exceptionally: for tests that look at the failure.
     */
    public <T> CompletableFuture<T> awaitDone(CompletableFuture<T> future) {
        if (!settle(future)) {
            throw new AssertionError("not done within 10 virtual minutes");
        }
        return future;
    }

    public <T> List<T> awaitAll(List<CompletableFuture<T>> futures) {
        await(CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])));
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Messages the network delivered so far (all applications). */
    public long messages() {
        return sim.network().deliveredMessages();
    }

    /** PAST messages sent so far by every node. */
    public long pastMessages() {
        return pasts.values().stream().mapToLong(Past::messagesSent).sum();
    }

    // ---------------------------------------------------------------- blocks

    /** A content-hash block of 64 to 2,063 random bytes. */
    public ContentHashBlock contentBlock() {
        byte[] content = new byte[64 + random.nextInt(2000)];
        random.nextBytes(content);
        return ContentHashBlock.of(content);
    }

    /** A public-key block under {@code label}, signed by one of eight owners (the same one for the same label). */
    public PublicKeyBlock publicKeyBlock(String label, long version) {
        KeyPair owner = owners.get(Math.floorMod(label.hashCode(), owners.size()));
        byte[] payload = new byte[32 + random.nextInt(300)];
        random.nextBytes(payload);
        return PublicKeyBlock.sign(owner, label, version, payload);
    }

    /** A certificate for {@code name} issued by {@link #certificateAuthority()}, valid for a year. */
    public CertificateBlock certificate(String name) {
        byte[] key = new byte[44];
        random.nextBytes(key);
        return CertificateBlock.issue(ca.getPrivate(), name, List.of(key), scheduler.now() + 365 * DAY);
    }

    /** {@code count} blocks of mixed kinds: half content-hash, 30% public-key, 20% certificates. */
    public List<Block> mixedBlocks(int count) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(10);
            if (pick < 5) {
                blocks.add(contentBlock());
            } else if (pick < 8) {
                blocks.add(publicKeyBlock("label-" + i, random.nextInt(5)));
            } else {
                blocks.add(certificate("user" + i + "@example.org"));
            }
        }
        return blocks;
    }

    /** Inserts every block from a random live node, 2 virtual ms apart, and waits for all answers. */
    public List<InsertResult> insertAll(List<? extends Block> blocks) {
        List<CompletableFuture<InsertResult>> futures = new ArrayList<>();
        for (Block block : blocks) {
            futures.add(randomLive().insert(block, scheduler.now() + LEASE));
            scheduler.runFor(2);
        }
        return awaitAll(futures);
    }

    /** Same key and same bytes. */
    public static boolean sameBlock(Block a, Block b) {
        return a.key().equals(b.key()) && Arrays.equals(a.encoded(), b.encoded());
    }

    // ---------------------------------------------------------------- keys

    private KeyPair ed25519() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, keyRandom);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecureRandom seededSecureRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
