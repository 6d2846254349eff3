package org.epost.peer.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.GlacierSettings;
import org.epost.peer.overlay.OneNodeRing;
import org.epost.peer.overlay.OverlayService;
import org.epost.peer.overlay.PeerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glacier on a peer's real node (TLS listener, RocksDB stores): what PAST stores is archived, the fragments survive a
 * restart of the peer, and a PAST lookup of a block whose replica is gone rebuilds it from them.
 */
class GlacierApplicationTest {
    /** In this helper's port range. */
    private static final int PORT = 44_101;

    @TempDir
    Path directory;

    private final OrganizationAuthority authority = OneNodeRing.authority();

    private EpostConfiguration configuration(BaseConfiguration extra) throws Exception {
        BaseConfiguration properties = OneNodeRing.overlayProperties(directory, authority);
        properties.setProperty("overlay.listen", "127.0.0.1:" + PORT);
        properties.setProperty("overlay.bootstrap", "127.0.0.1:" + PORT);
        extra.getKeys().forEachRemaining(key -> properties.setProperty(key, extra.getProperty(key)));
        return EpostConfiguration.from(properties, directory, "peer1");
    }

    private static BaseConfiguration glacier(String code) {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty(GlacierSettings.ENABLED, "true");
        properties.addProperty(GlacierSettings.CODE, code);
        properties.addProperty(GlacierSettings.STORE_QUOTA, "64M");
        return properties;
    }

    private OverlayService peer(EpostConfiguration configuration, GlacierApplication glacier) {
        return new OverlayService(configuration, new LinkedHashSet<>(List.<PeerApplication>of(glacier)));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(1, TimeUnit.MINUTES);
    }

    @Test
    void pastBlocksAreArchivedKeptAcrossARestartAndRebuiltWhenTheirReplicaIsGone() throws Exception {
        BaseConfiguration alone = glacier("8/2");
        alone.setProperty(GlacierSettings.AGGREGATE_BELOW, "0");
        EpostConfiguration configuration = configuration(alone);
        ContentHashBlock block = ContentHashBlock.of("a message part that must outlive its replicas".repeat(50)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        GlacierApplication glacier = new GlacierApplication(configuration, MetricSink.NONE);
        OverlayService first = peer(configuration, glacier);
        first.start();
        try {
            insertOnStarted(first, block);
            // The root (this lone node) archives after PAST's answer: wait for the 8 fragments.
            GlacierFigures figures = awaitFragments(glacier, 8);
            assertThat(figures.n()).isEqualTo(8);
            assertThat(figures.m()).isEqualTo(2);
            assertThat(figures.fragmentBytes()).isPositive();
        } finally {
            first.stop();
        }

        GlacierApplication restarted = new GlacierApplication(configuration, MetricSink.NONE);
        OverlayService second = peer(configuration, restarted);
        second.start();
        try {
            OverlayNode node = second.node().orElseThrow();
            awaitReady(node);
            assertThat(restarted.figures().orElseThrow().fragmentsHeld()).isEqualTo(8);
            // The only replica is lost; PAST's lookup falls back to the fragments and re-inserts the block.
            assertThat(node.past().store().delete(block.key())).isTrue();
            Optional<Block> found = await(node.past().lookup(block.key()));
            assertThat(found).hasValueSatisfying(b -> assertThat(b.encoded()).isEqualTo(block.encoded()));
            assertThat(restarted.figures().orElseThrow().recoveries()).isEqualTo(1);
            awaitReplica(node, block);
        } finally {
            second.stop();
        }
    }

    @Test
    void aSmallBlockIsAggregatedAndRebuiltThroughItsAggregateWhenItsReplicaIsGone() throws Exception {
        BaseConfiguration small = glacier("8/2");
        small.setProperty(GlacierSettings.AGGREGATE_FLUSH, "1s");
        EpostConfiguration configuration = configuration(small);
        assertThat(configuration.glacier().orElseThrow().aggregateBelow()).isEqualTo(64 * 1024);
        ContentHashBlock block = ContentHashBlock.of("a small log record".repeat(20)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        GlacierApplication glacier = new GlacierApplication(configuration, MetricSink.NONE);
        OverlayService peer = peer(configuration, glacier);
        peer.start();
        try {
            OverlayNode node = insertOnStarted(peer, block);
            // Coded after the 1 s flush as an aggregate of one block: 8 fragments of the aggregate, then the block's
            // 8 pointer copies.
            awaitFragments(glacier, 8);
            for (int i = 0; i < 600 && glacier.figures().orElseThrow().pointersHeld() < 8; i++) {
                Thread.sleep(100);
            }
            assertThat(node.past().store().delete(block.key())).isTrue();
            Optional<Block> found = await(node.past().lookup(block.key()));
            assertThat(found).hasValueSatisfying(b -> assertThat(b.encoded()).isEqualTo(block.encoded()));
            assertThat(glacier.figures().orElseThrow().recoveries()).isEqualTo(1);
            assertThat(glacier.figures().orElseThrow().membersRecovered()).isEqualTo(1);
            assertThat(glacier.figures().orElseThrow().pointersHeld()).isEqualTo(8);
        } finally {
            peer.stop();
        }
    }

    @Test
    void withoutGlacierEnabledNothingRunsAndBadSettingsAreRefusedByName() throws Exception {
        GlacierApplication off = new GlacierApplication(configuration(new BaseConfiguration()), MetricSink.NONE);
        assertThat(off.figures()).isEmpty();

        assertThatThrownBy(() -> configuration(glacier("48")))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("glacier.code");
        assertThatThrownBy(() -> configuration(glacier("5/48")))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("glacier.code");
        BaseConfiguration badQuota = glacier("auto");
        badQuota.setProperty(GlacierSettings.STORE_QUOTA, "lots");
        assertThatThrownBy(() -> configuration(badQuota))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("glacier.store.quota");
        BaseConfiguration badAggregate = glacier("auto");
        badAggregate.setProperty(GlacierSettings.AGGREGATE_BELOW, "2M");
        assertThatThrownBy(() -> configuration(badAggregate))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("glacier.aggregate.below");
        BaseConfiguration withoutOverlay = glacier("auto");
        assertThatThrownBy(() -> EpostConfiguration.from(withoutOverlay, directory, "peer1"))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("overlay.enabled");
        BaseConfiguration auto = glacier("auto");
        auto.setProperty(GlacierSettings.EXPECTED_NODES, "800");
        assertThat(configuration(auto).glacier().orElseThrow().code().n()).isEqualTo(200);
    }

    /** The started peer's node, once ready, with {@code block} inserted into PAST under a day's lease. */
    private static OverlayNode insertOnStarted(OverlayService peer, ContentHashBlock block) throws Exception {
        OverlayNode node = peer.node().orElseThrow();
        awaitReady(node);
        assertThat(await(node.past().insert(block, System.currentTimeMillis() + 86_400_000L)).isSuccess()).isTrue();
        return node;
    }

    private static void awaitReady(OverlayNode node) throws Exception {
        for (int i = 0; i < 600 && !await(node.status()).ready(); i++) {
            Thread.sleep(100);
        }
        assertThat(await(node.status()).ready()).isTrue();
    }

    private static GlacierFigures awaitFragments(GlacierApplication glacier, int count) throws Exception {
        GlacierFigures figures = glacier.figures().orElseThrow();
        for (int i = 0; i < 600 && figures.fragmentsHeld() < count; i++) {
            Thread.sleep(100);
            figures = glacier.figures().orElseThrow();
        }
        assertThat(figures.fragmentsHeld()).isEqualTo(count);
        return figures;
    }

    private static void awaitReplica(OverlayNode node, ContentHashBlock block) throws Exception {
        for (int i = 0; i < 600 && !node.past().store().contains(block.key()); i++) {
            Thread.sleep(100);
        }
        assertThat(node.past().store().contains(block.key())).isTrue();
    }
}
