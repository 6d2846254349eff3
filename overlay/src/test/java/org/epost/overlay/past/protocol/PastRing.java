package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.sim.SimScheduler;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.sim.Simulation.SimNode;

/**
 * A simulated ring with PAST on every node (an in-memory store each, behind a {@link TamperingBlockStore}), built
 * the way {@link Simulation} builds its rings, plus seeded block generation. Everything, keys included, follows
 * from the seed.
 */
final class PastRing {
    static final long DAY = 86_400_000L;
    static final long LEASE = 30 * DAY;

    final Simulation sim;
    final SimScheduler scheduler;
    final Random random;
    final KeyPair ca;
    final BlockVerifier verifier;
    final PastConfig config;
    final Map<Id, Past> pasts = new LinkedHashMap<>();
    final Map<Id, TamperingBlockStore> stores = new LinkedHashMap<>();
    private final List<KeyPair> owners = new ArrayList<>();
    private final SecureRandom keyRandom;
    private int created;

    /** @param quota quota in bytes of the i-th node created */
    PastRing(int nodes, long seed, PastConfig config, IntToLongFunction quota) {
        this.sim = new Simulation(Simulation.Settings.of(nodes, seed));
        this.scheduler = sim.scheduler();
        this.random = new Random(seed ^ 0x5deece66dL);
        this.config = config;
        this.keyRandom = seededSecureRandom(seed);
        this.ca = ed25519();
        this.verifier = new BlockVerifier(ca.getPublic(), scheduler, BlockLimits.DEFAULT, 60_000);
        sim.setNodeSetup(node -> {
            TamperingBlockStore store = new TamperingBlockStore(new InMemoryBlockStore(verifier, scheduler,
                    StoreConfig.withQuota(quota.applyAsLong(created++))));
            stores.put(node.id(), store);
            pasts.put(node.id(), new Past(node.node(), store, verifier, node.transport().scheduler(), config));
        });
        for (int i = 0; i < 8; i++) {
            owners.add(ed25519());
        }
        sim.buildRing();
        assertThat(sim.awaitLeafSetsCorrect(10 * 60_000)).as("leaf sets settle").isTrue();
    }

    PastRing(int nodes, long seed, PastConfig config) {
        this(nodes, seed, config, i -> 1L << 30);
    }

    static PastConfig testConfig() {
        return PastConfig.defaults().withMaintenanceIntervalMillis(5 * 60_000);
    }

    // ---------------------------------------------------------------- nodes

    List<Past> live() {
        List<Past> live = new ArrayList<>();
        for (SimNode node : sim.liveNodes()) {
            live.add(pasts.get(node.id()));
        }
        return live;
    }

    Past randomLive() {
        List<Past> live = live();
        return live.get(random.nextInt(live.size()));
    }

    /** The live nodes, closest to {@code handle} first. */
    List<Past> closest(Id handle) {
        List<Past> live = live();
        live.sort((a, b) -> {
            int c = handle.compareDistances(a.localHandle().id(), b.localHandle().id());
            return c != 0 ? c : a.localHandle().id().compareTo(b.localHandle().id());
        });
        return live;
    }

    /** Live nodes whose store holds {@code key}. */
    List<Past> holders(BlockKey key) {
        List<Past> holders = new ArrayList<>();
        for (Past past : live()) {
            if (past.store().contains(key)) {
                holders.add(past);
            }
        }
        return holders;
    }

    boolean allAtReplicas(List<? extends Block> blocks, int k) {
        for (Block block : blocks) {
            if (holders(block.key()).size() != k) {
                return false;
            }
        }
        return true;
    }

    TamperingBlockStore storeOf(Past past) {
        return stores.get(past.localHandle().id());
    }

    // ---------------------------------------------------------------- time

    <T> T await(CompletableFuture<T> future) {
        assertThat(scheduler.runUntil(future::isDone, scheduler.now() + 10 * 60_000))
                .as("completes within 10 virtual minutes").isTrue();
        return future.join();
    }

    <T> List<T> awaitAll(List<CompletableFuture<T>> futures) {
        CompletableFuture<?> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
        await(all);
        return futures.stream().map(CompletableFuture::join).toList();
    }

    long messages() {
        return sim.network().deliveredMessages();
    }

    long pastMessages() {
        return pasts.values().stream().mapToLong(Past::messagesSent).sum();
    }

    // ---------------------------------------------------------------- blocks

    ContentHashBlock contentBlock() {
        byte[] content = new byte[64 + random.nextInt(2000)];
        random.nextBytes(content);
        return ContentHashBlock.of(content);
    }

    PublicKeyBlock publicKeyBlock(String label, long version) {
        KeyPair owner = owners.get(Math.floorMod(label.hashCode(), owners.size()));
        byte[] payload = new byte[32 + random.nextInt(300)];
        random.nextBytes(payload);
        return PublicKeyBlock.sign(owner, label, version, payload);
    }

    CertificateBlock certificate(String name) {
        byte[] key = new byte[44];
        random.nextBytes(key);
        return CertificateBlock.issue(ca.getPrivate(), name, List.of(key), scheduler.now() + 365 * DAY);
    }

    /** {@code count} blocks of mixed kinds: half content-hash, 30% public-key, 20% certificates. */
    List<Block> mixedBlocks(int count) {
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
    List<InsertResult> insertAll(List<? extends Block> blocks) {
        List<CompletableFuture<InsertResult>> futures = new ArrayList<>();
        for (Block block : blocks) {
            futures.add(randomLive().insert(block, scheduler.now() + LEASE));
            scheduler.runFor(2);
        }
        return awaitAll(futures);
    }

    static boolean sameBlock(Block a, Block b) {
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
