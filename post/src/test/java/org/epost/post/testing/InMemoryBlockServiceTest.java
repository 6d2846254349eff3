package org.epost.post.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.store.InMemoryBlockStore;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.past.store.StoreResult;
import org.epost.overlay.past.store.StoredBlock;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService.Op;
import org.junit.jupiter.api.Test;

/** The tests' shared block service: PAST's store rules, compared with a real store, and its counters and hooks. */
class InMemoryBlockServiceTest {
    private static final long DAY = StoreConfig.DAY_MILLIS;

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);

    @Test
    void answersEveryKindOfInsertAsAPastStoreDoes() {
        KeyPair ca = Signatures.generateKeyPair();
        KeyPair owner = Signatures.generateKeyPair();
        InMemoryBlockStore store = new InMemoryBlockStore(
            new BlockVerifier(ca.getPublic(), now::get, BlockLimits.DEFAULT, StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS),
            now::get, StoreConfig.withQuota(1L << 30));
        InMemoryBlockService service = new InMemoryBlockService().clock(now::get);
        byte[] certified = owner.getPublic().getEncoded();
        CertificateBlock first = CertificateBlock.issue(ca.getPrivate(), "user:a@example.org", List.of(certified),
            now.get() + DAY);
        CertificateBlock second = CertificateBlock.issue(ca.getPrivate(), "user:a@example.org", List.of(certified),
            now.get() + 2 * DAY);
        List<Block> offers = List.of(
            ContentHashBlock.of(new byte[] {1, 2, 3}),
            ContentHashBlock.of(new byte[] {1, 2, 3}),
            PublicKeyBlock.sign(owner, "head", 1, new byte[] {1}),
            PublicKeyBlock.sign(owner, "head", 1, new byte[] {1}),
            PublicKeyBlock.sign(owner, "head", 1, new byte[] {2}),
            PublicKeyBlock.sign(owner, "head", 0, new byte[] {0}),
            PublicKeyBlock.sign(owner, "head", 3, new byte[] {3}),
            PublicKeyBlock.sign(owner, "head", 2, new byte[] {2}),
            PublicKeyBlock.sign(owner, "head", 3, new byte[] {4}),
            first,
            first,
            second);
        List<InsertResult.Status> expected = new ArrayList<>();
        List<InsertResult.Status> answered = new ArrayList<>();
        for (Block offer : offers) {
            expected.add(status(store.put(offer.handle(), offer.encoded(), now.get() + DAY)));
            answered.add(service.insert(offer, now.get() + DAY).join().status());
        }
        // the certificate has expired (beyond the skew): another may take its place
        now.addAndGet(DAY + StoreConfig.DEFAULT_CLOCK_SKEW_MILLIS + 1);
        expected.add(status(store.put(second.handle(), second.encoded(), now.get() + DAY)));
        answered.add(service.insert(second, now.get() + DAY).join().status());

        assertThat(answered).isEqualTo(expected).containsExactly(
            InsertResult.Status.SUCCESS, InsertResult.Status.SUCCESS,
            InsertResult.Status.SUCCESS, InsertResult.Status.SUCCESS, InsertResult.Status.REJECTED,
            InsertResult.Status.STALE, InsertResult.Status.SUCCESS, InsertResult.Status.STALE,
            InsertResult.Status.REJECTED,
            InsertResult.Status.SUCCESS, InsertResult.Status.SUCCESS, InsertResult.Status.REJECTED,
            InsertResult.Status.SUCCESS);
        assertThat(service.size()).isEqualTo(3);
        for (Block offer : offers) {
            Optional<byte[]> held = store.get(offer.key()).map(StoredBlock::encoded);
            assertThat(service.lookup(offer.key()).join().map(Block::encoded)).as("held under %s", offer.key())
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(held.orElseThrow()));
        }
        assertThat(service.insert(PublicKeyBlock.sign(owner, "head", 3, new byte[] {4}), 0).join().detail())
            .startsWith("EQUIVOCATION");
    }

    @Test
    void countsOperationsAndRecordsLeases() {
        InMemoryBlockService service = new InMemoryBlockService();
        ContentHashBlock block = ContentHashBlock.of(new byte[] {7});
        BlockKey missing = ContentHashBlock.of(new byte[] {8}).key();

        assertThat(service.insert(block, 10).join().holders()).hasSize(3);
        service.insert(block, 5).join();
        service.lookup(block.key()).join();
        service.lookup(block.key()).join();
        service.lookup(missing).join();
        assertThat(service.extendLease(block.key(), 20).join()).isEqualTo(3);
        assertThat(service.extendLease(missing, 20).join()).isZero();

        assertThat(service.inserts()).isEqualTo(2);
        assertThat(service.insertedKeys()).containsExactly(block.key(), block.key());
        assertThat(service.lookups()).isEqualTo(3);
        assertThat(service.lookups(block.key())).isEqualTo(2);
        assertThat(service.extensions()).isEqualTo(2);
        assertThat(service.extendedKeys()).containsExactly(block.key(), missing);
        assertThat(service.leaseExpiry(block.key())).hasValue(20);
        assertThat(service.leaseExpiry(missing)).isEmpty();
        assertThat(service.storedBytes()).isEqualTo(block.encodedLength());

        service.holders(block.key(), 1);
        assertThat(service.extendLease(block.key(), 30).join()).isEqualTo(1);
        service.holders(block.key(), 0);
        assertThat(service.extendLease(block.key(), 40).join()).isZero();
        assertThat(service.leaseExpiry(block.key())).hasValue(30);

        service.resetCounters();
        assertThat(service.inserts()).isZero();
        assertThat(service.lookups()).isZero();
        assertThat(service.lookups(block.key())).isZero();
        assertThat(service.extensions()).isZero();
        assertThat(service.replicas(1).insert(block, 50).join().holders()).hasSize(1);
    }

    @Test
    void substitutesPlantsAndLosses() {
        InMemoryBlockService service = new InMemoryBlockService();
        ContentHashBlock real = ContentHashBlock.of(new byte[] {1});
        ContentHashBlock other = ContentHashBlock.of(new byte[] {2});
        service.insert(real, 0).join();

        service.substitute(real.key(), other);
        assertThat(service.lookup(real.key()).join()).contains(other);
        assertThat(service.block(real.key())).contains(real);
        service.clearSubstitutes();
        assertThat(service.lookup(real.key()).join()).contains(real);

        BlockKey elsewhere = ContentHashBlock.of(new byte[] {3}).key();
        service.plant(elsewhere, other);
        assertThat(service.lookup(elsewhere).join()).contains(other);
        assertThat(service.holds(elsewhere)).isTrue();

        service.remove(real.key());
        assertThat(service.lookup(real.key()).join()).isEmpty();
        assertThat(service.keys()).containsExactly(elsewhere);
        service.clear();
        assertThat(service.size()).isZero();
    }

    @Test
    void scriptedAnswersAndFailures() {
        InMemoryBlockService service = new InMemoryBlockService();
        ContentHashBlock a = ContentHashBlock.of(new byte[] {1});
        ContentHashBlock b = ContentHashBlock.of(new byte[] {2});
        IllegalStateException down = new IllegalStateException("down");

        service.answerInserts(block -> block.equals(a) ? InMemoryBlockService.result(InsertResult.Status.TIMEOUT,
            "no holder") : null);
        assertThat(service.insert(a, 0).join().status()).isEqualTo(InsertResult.Status.TIMEOUT);
        assertThat(service.holds(a.key())).as("a scripted answer stores nothing").isFalse();
        assertThat(service.insert(b, 0).join().isSuccess()).isTrue();

        service.failNext(Op.LOOKUP, 2, down);
        assertThat(service.lookup(b.key())).isCompletedExceptionally();
        assertThat(service.lookup(b.key())).isCompletedExceptionally();
        assertThat(service.lookup(b.key()).join()).contains(b);

        service.fail(Op.EXTEND_LEASE, b.key(), down);
        assertThat(service.extendLease(b.key(), 1)).isCompletedExceptionally();
        assertThat(service.extendLease(a.key(), 1).join()).isZero();
        assertThat(service.extendLease(b.key(), 1)).isCompletedExceptionally();
        service.fail(Op.INSERT, down);
        assertThat(service.insert(b, 0)).isCompletedExceptionally();

        service.heal();
        assertThat(service.extendLease(b.key(), 1).join()).isEqualTo(3);
        assertThat(service.insert(a, 0).join().isSuccess()).isTrue();
    }

    @Test
    void heldAnswersWaitForTheTestAndCountAsInFlight() {
        InMemoryBlockService service = new InMemoryBlockService();
        ContentHashBlock block = ContentHashBlock.of(new byte[] {1});
        service.holdAnswers();

        CompletableFuture<InsertResult> insert = service.insert(block, 0);
        CompletableFuture<Optional<Block>> early = service.lookup(block.key());
        assertThat(service.pending()).isEqualTo(2);
        assertThat(service.inFlight()).isEqualTo(2);
        assertThat(insert).isNotDone();

        assertThat(service.completeNext()).isTrue();
        assertThat(insert.join().isSuccess()).isTrue();
        service.drain();
        assertThat(early.join()).as("worked out when delivered, after the insert").contains(block);
        assertThat(service.completeNext()).isFalse();
        assertThat(service.maxInFlight()).isEqualTo(2);
        assertThat(service.inFlight()).isZero();

        List<Runnable> later = new ArrayList<>();
        service.deferAnswers(later::add);
        CompletableFuture<Integer> extension = service.extendLease(block.key(), 9);
        assertThat(extension).isNotDone();
        later.forEach(Runnable::run);
        assertThat(extension.join()).isEqualTo(3);

        service.answerImmediately();
        assertThat(service.lookup(block.key())).isCompleted();
    }

    private static InsertResult.Status status(StoreResult result) {
        return switch (result.status()) {
            case STORED -> InsertResult.Status.SUCCESS;
            case FULL -> InsertResult.Status.FULL;
            case STALE -> InsertResult.Status.STALE;
            case REJECTED -> InsertResult.Status.REJECTED;
        };
    }
}
